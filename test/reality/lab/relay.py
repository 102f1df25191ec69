# The lab's links as wires with a length and a line rate: each link is a pair of TAP devices, and
# this process hands every frame that leaves one end to the other end as a wire would: after the
# frame's serialisation time at the link's rate (frames queue behind each other, per direction)
# and a fixed propagation delay, in order. The simulation times a frame the same way
# (src/core/sim/engine.ts: Ethernet's preamble, FCS and inter-frame gap counted, minimum frame 60
# bytes). Linux's netem qdisc would do it in the kernel, but not every machine has it (this
# project's CI does not). Without a delay the links take microseconds and the programs' CPU time
# (0.1-3 ms a step) decides which packets cross first; with one, as on real networks, the wire
# does.
#
# usage: python3 relay.py DELAY_US TAP_A0 TAP_B0 RATE0_BPS [TAP_A1 TAP_B1 RATE1_BPS ...]
# A rate of 0 is no serialisation (a frame takes no time on the wire).
# Creates the TAP devices (they live as long as this process), prints "ready", then relays
# until killed, or until every device is gone (a lab torn down without stopping it).
import fcntl
import heapq
import os
import select
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
# what a frame costs on an Ethernet wire beyond the bytes a TAP device hands over: FCS (4),
# preamble and start delimiter (8), inter-frame gap (12); frames shorter than 60 bytes are padded
WIRE_OVERHEAD = 4 + 8 + 12
MIN_FRAME = 60


def open_tap(name: str) -> int:
    fd = os.open('/dev/net/tun', os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH', name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


def main() -> None:
    delay = int(sys.argv[1]) / 1e6
    args = sys.argv[2:]
    if len(args) % 3:
        sys.exit('relay.py: links come as TAP_A TAP_B RATE_BPS')
    peer = {}
    rate = {}
    fds = []
    for i in range(0, len(args), 3):
        a, b = open_tap(args[i]), open_tap(args[i + 1])
        fds += [a, b]
        peer[a], peer[b] = b, a
        rate[a] = rate[b] = int(args[i + 2])
    print('ready', flush=True)
    live = set(fds)
    busy = {fd: 0.0 for fd in fds}  # when each direction's wire is free again
    due: list = []  # (due time, arrival order, fd to write, frame)
    order = 0
    while live:
        timeout = max(0.0, due[0][0] - time.monotonic()) if due else None
        readable, _, _ = select.select(list(live), [], [], timeout)
        for fd in readable:
            while True:
                try:
                    frame = os.read(fd, 65536)
                except BlockingIOError:
                    break
                except OSError:
                    # the device is gone (its namespace deleted): stop reading it, or select
                    # would report it readable forever
                    live.discard(fd)
                    break
                # each frame's own arrival time: a burst read in one pass keeps its spacing
                now = time.monotonic()
                start = max(now, busy[fd])
                done = start + ((max(len(frame), MIN_FRAME) + WIRE_OVERHEAD) * 8 / rate[fd] if rate[fd] else 0)
                busy[fd] = done
                order += 1
                heapq.heappush(due, (done + delay, order, peer[fd], frame))
        now = time.monotonic()
        while due and due[0][0] <= now:
            _, _, fd, frame = heapq.heappop(due)
            try:
                os.write(fd, frame)
            except OSError:
                pass  # the far end is down: a wire to an unplugged port drops the frame


if __name__ == '__main__':
    main()
