"""numba kernels of :mod:`.sweep_jit` (imported only when numba is wanted: importing numba takes seconds)."""

from __future__ import annotations

import math

import numba
import numpy as np

EPS_ANGLE = 1e-7  # as visibility.EPS_ANGLE
njit = numba.njit(cache=True, nogil=True)


@njit
def nearest_hits(phi, start, ax, ay, ex, ey, lo, hi, far):
    n = len(phi)
    t = np.full(n, far)
    hit = np.full(n, -1, dtype=np.int64)
    dxs = np.sin(phi + start)
    dys = np.cos(phi + start)
    for e in range(len(ax)):
        a, b = lo[e], hi[e]
        if b - a > math.pi:  # the span wraps through 0: [b, 2pi) and [0, a]
            r0, r1 = np.searchsorted(phi, b, "left"), n
            q1 = np.searchsorted(phi, a, "right")
        else:
            r0, r1 = np.searchsorted(phi, a, "left"), np.searchsorted(phi, b, "right")
            q1 = 0
        aax, aay, eex, eey = ax[e], ay[e], ex[e], ey[e]
        for part in range(2):
            s0, s1 = (r0, r1) if part == 0 else (0, q1)
            for r in range(s0, s1):
                dx, dy = dxs[r], dys[r]
                den = dx * eey - dy * eex
                if not abs(den) > 1e-15:
                    continue
                tt = (aax * eey - aay * eex) / den
                ss = (aax * dy - aay * dx) / den
                if ss >= 0.0 and ss <= 1.0 and tt > 0.0 and tt < t[r]:
                    t[r] = tt
                    hit[r] = e
    return t, hit


@njit
def sweep(az_deg, hfov_deg, far, ax0, ay0, bx0, by0, arc_step):
    two_pi = 2.0 * math.pi
    dome = hfov_deg >= 360.0 - 1e-9
    span = two_pi if dome else math.radians(hfov_deg)
    start = 0.0 if dome else math.radians(az_deg - hfov_deg / 2.0)
    m = len(ax0)
    far2 = far * far
    # front faces only (camera strictly right of the edge), within reach
    keep = np.zeros(m, dtype=np.bool_)
    nk = 0
    for e in range(m):
        ex = bx0[e] - ax0[e]
        ey = by0[e] - ay0[e]
        if not (ey * ax0[e] - ex * ay0[e] < 0.0):
            continue
        len2 = ex * ex + ey * ey
        s = -(ax0[e] * ex + ay0[e] * ey) / (len2 if len2 > 0 else 1.0)
        s = min(max(s, 0.0), 1.0)
        dx = ax0[e] + s * ex
        dy = ay0[e] + s * ey
        if dx * dx + dy * dy < far2:
            keep[e] = True
            nk += 1
    ax = np.empty(nk)
    ay = np.empty(nk)
    ex = np.empty(nk)
    ey = np.empty(nk)
    lo = np.empty(nk)
    hi = np.empty(nk)
    n_arc = max(int(math.ceil(math.degrees(span) / arc_step)), 8 if dome else 2)
    phi = np.empty((n_arc + 1) + 6 * nk)
    k = 0
    for i in range(n_arc + 1):
        if dome and i == n_arc:
            break
        phi[k] = span * i / n_arc
        k += 1
    j = 0
    for e in range(m):
        if not keep[e]:
            continue
        a_x, a_y = ax0[e], ay0[e]
        e_x = bx0[e] - a_x
        e_y = by0[e] - a_y
        ax[j], ay[j], ex[j], ey[j] = a_x, a_y, e_x, e_y
        pa = (math.atan2(a_x, a_y) - start) % two_pi
        pb = (math.atan2(bx0[e], by0[e]) - start) % two_pi
        lo[j] = min(pa, pb)
        hi[j] = max(pa, pb)
        if a_x * a_x + a_y * a_y < far2:
            phi[k] = pa - EPS_ANGLE
            phi[k + 1] = pa + EPS_ANGLE
            k += 2
        if bx0[e] * bx0[e] + by0[e] * by0[e] < far2:
            phi[k] = pb - EPS_ANGLE
            phi[k + 1] = pb + EPS_ANGLE
            k += 2
        # crossings of the edge with the far circle: |a + s e| = far
        qa = e_x * e_x + e_y * e_y
        qb = 2.0 * (a_x * e_x + a_y * e_y)
        qc = a_x * a_x + a_y * a_y - far2
        disc = qb * qb - 4.0 * qa * qc
        if disc > 0 and qa > 0:
            root = math.sqrt(disc)
            for sign in (-1.0, 1.0):
                sc = (-qb + sign * root) / (2.0 * qa)
                if sc > 0.0 and sc < 1.0:
                    phi[k] = (math.atan2(a_x + sc * e_x, a_y + sc * e_y) - start) % two_pi
                    k += 1
        j += 1
    phi = phi[:k]
    if dome:
        for i in range(k):
            phi[i] = phi[i] % two_pi
    else:
        phi = phi[(phi >= 0.0) & (phi <= span)]
    phi = np.unique(phi)
    t, hit = nearest_hits(phi, start, ax, ay, ex, ey, lo, hi, far)
    n = len(phi)
    out = np.empty((n + 1, 2))
    r = 0
    if not dome:
        out[0, 0] = 0.0
        out[0, 1] = 0.0
        r = 1
    for i in range(n):
        # hits on the same edge as both neighbours are collinear: dropped
        if nk > 0 and n > 2 and hit[i] >= 0:
            p = hit[i - 1] if i > 0 else hit[n - 1]
            q = hit[i + 1] if i < n - 1 else hit[0]
            if hit[i] == p and hit[i] == q and (dome or (i != 0 and i != n - 1)):
                continue
        th = phi[i] + start
        out[r, 0] = t[i] * math.sin(th)
        out[r, 1] = t[i] * math.cos(th)
        r += 1
    return out[:r]
