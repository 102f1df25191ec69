# The lab's links as wires with a length: each link is a pair of TAP devices, and this process
# hands every frame that leaves one end to the other end a fixed delay later, in order. Linux's
# netem qdisc would do it in the kernel, but not every machine has it (this project's CI does
# not). Without a delay the links take microseconds and the programs' CPU time (0.1-3 ms a step)
# decides which packets cross first; with one, as on real networks, the wire does.
#
# usage: python3 relay.py DELAY_US TAP_A0 TAP_B0 [TAP_A1 TAP_B1 ...]
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


def open_tap(name: str) -> int:
    fd = os.open('/dev/net/tun', os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH', name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


def main() -> None:
    delay = int(sys.argv[1]) / 1e6
    names = sys.argv[2:]
    if len(names) % 2:
        sys.exit('relay.py: TAP names come in pairs')
    fds = [open_tap(n) for n in names]
    peer = {}
    for a, b in zip(fds[0::2], fds[1::2]):
        peer[a] = b
        peer[b] = a
    print('ready', flush=True)
    live = set(fds)
    due: list = []  # (due time, arrival order, fd to write, frame)
    order = 0
    while live:
        timeout = max(0.0, due[0][0] - time.monotonic()) if due else None
        readable, _, _ = select.select(list(live), [], [], timeout)
        now = time.monotonic()
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
                order += 1
                heapq.heappush(due, (now + delay, order, peer[fd], frame))
        now = time.monotonic()
        while due and due[0][0] <= now:
            _, _, fd, frame = heapq.heappop(due)
            try:
                os.write(fd, frame)
            except OSError:
                pass  # the far end is down: a wire to an unplugged port drops the frame


if __name__ == '__main__':
    main()
