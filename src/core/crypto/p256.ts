/**
 * The P-256 curve object every crypto module uses. noble precomputes a window-8 table for the
 * base point on first use (4,224 points, ~70 ms on a loaded machine), which alone would double a
 * ~40 ms trace; window 4 (520 points) costs ~12 ms once and keeps each signature around a
 * millisecond, the better trade for one process that signs a handful of times per trace.
 */
import { p256 } from '@noble/curves/nist';

p256.Point.BASE.precompute(4);

export { p256 };
