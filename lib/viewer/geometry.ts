/** Slice geometry in patient space: pure helpers for synchronized scrolling by position. */

export type Vec3 = [number, number, number];

/** Unit normal of an image plane from ImageOrientationPatient (row cosines x column cosines). */
export function sliceNormal(orientation: readonly number[]): Vec3 | null {
  if (orientation.length < 6) return null;
  const [a, b, c, d, e, f] = orientation as [number, number, number, number, number, number];
  const n: Vec3 = [b * f - c * e, c * d - a * f, a * e - b * d];
  const len = Math.hypot(n[0], n[1], n[2]);
  if (len < 1e-6) return null;
  return [n[0] / len, n[1] / len, n[2] / len];
}

/** Distance of a slice along a normal: ImagePositionPatient projected on it. */
export function projectOnNormal(position: readonly number[], normal: Vec3): number {
  return (position[0] ?? 0) * normal[0] + (position[1] ?? 0) * normal[1] + (position[2] ?? 0) * normal[2];
}

export type SliceGeometry = { position: Vec3 | null; orientation: readonly number[] | null };

/**
 * Index of the target slice whose position along the source normal is nearest to the source slice.
 * Matching is by position, never by index, so stacks sorted in opposite directions or with
 * different slice counts line up. Returns null when the source has no geometry, the planes are not
 * (nearly) parallel, or no target slice has a position.
 */
export function matchSliceByPosition(source: SliceGeometry, targets: readonly SliceGeometry[]): number | null {
  if (!source.position || !source.orientation) return null;
  const normal = sliceNormal(source.orientation);
  if (!normal) return null;
  const at = projectOnNormal(source.position, normal);
  let best: number | null = null;
  let bestDistance = Infinity;
  targets.forEach((t, i) => {
    if (!t.position) return;
    if (t.orientation) {
      const tn = sliceNormal(t.orientation);
      // Crossing planes (axial vs sagittal) have no meaningful "same slice".
      if (tn && Math.abs(tn[0] * normal[0] + tn[1] * normal[1] + tn[2] * normal[2]) < 0.9) return;
    }
    const distance = Math.abs(projectOnNormal(t.position, normal) - at);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i;
    }
  });
  return best;
}

/**
 * Order in which to fetch a stack: the current slice first, then neighbours outward
 * (next, previous, next+1, previous-1...), so what the user is about to see arrives first.
 */
export function loadOrder(current: number, count: number): number[] {
  const order: number[] = [];
  if (count <= 0) return order;
  const start = Math.min(Math.max(0, current), count - 1);
  order.push(start);
  for (let step = 1; order.length < count; step++) {
    if (start + step < count) order.push(start + step);
    if (start - step >= 0) order.push(start - step);
  }
  return order;
}

/** Patient-direction letters of a direction vector in LPS, strongest component first ("L", "AS"...). */
export function directionLetters(v: readonly number[]): string {
  const letters: [number, string][] = [
    [v[0] ?? 0, (v[0] ?? 0) > 0 ? "L" : "R"],
    [v[1] ?? 0, (v[1] ?? 0) > 0 ? "P" : "A"],
    [v[2] ?? 0, (v[2] ?? 0) > 0 ? "S" : "I"],
  ];
  return letters
    .filter(([c]) => Math.abs(c) > 0.25)
    .sort((a, b) => Math.abs(b[0]) - Math.abs(a[0]))
    .map(([, l]) => l)
    .join("");
}

export type EdgeMarkers = { top: string; bottom: string; left: string; right: string };

/**
 * Orientation letters at the four screen edges, after the view's flips and then its rotation
 * (cornerstone applies the flip inside the rotation). Null without ImageOrientationPatient.
 */
export function orientationMarkers(orientation: readonly number[] | null, rotation: number, hflip: boolean, vflip: boolean): EdgeMarkers | null {
  if (!orientation || orientation.length < 6) return null;
  const row = orientation.slice(0, 3);
  const column = orientation.slice(3, 6);
  const neg = (v: number[]) => v.map((x) => -x);
  let m: EdgeMarkers = {
    right: directionLetters(row),
    left: directionLetters(neg(row)),
    bottom: directionLetters(column),
    top: directionLetters(neg(column)),
  };
  if (hflip) m = { ...m, left: m.right, right: m.left };
  if (vflip) m = { ...m, top: m.bottom, bottom: m.top };
  const quarterTurns = ((Math.round(rotation / 90) % 4) + 4) % 4;
  for (let i = 0; i < quarterTurns; i++) m = { top: m.left, right: m.top, bottom: m.right, left: m.bottom };
  return m;
}
