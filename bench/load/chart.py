"""The latency curve of the step series as a small hand-drawn SVG (no plotting dependency)."""

from __future__ import annotations

import math
from html import escape

W, H = 820, 420
LEFT, RIGHT, TOP, BOTTOM = 64, 190, 40, 56
SERIES = [  # (kind, percentile, colour, dash, label)
    ("page", "p95", "#1f5fbf", "", "pages p95"),
    ("page", "p50", "#1f5fbf", "5 4", "pages p50"),
    ("map", "p95", "#d9730d", "", "map JSON p95"),
    ("api", "p95", "#2e8b57", "", "API reads p95"),
    ("write", "p95", "#8e44ad", "", "writes p95"),
]
AIMS = [(300, "pages aim 300 ms", "#1f5fbf"), (100, "map aim 100 ms", "#d9730d")]


def _nice(value: float) -> float:
    for step in (100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000):
        if value <= step:
            return float(step)
    return float(int(value / 10000 + 1) * 10000)


def svg(steps: list[dict], title: str, note: str) -> str:
    """``steps``: [{"users": n, "rps": r, "kinds": {"page": {"p50": …, "p95": …}, …}}, …]."""
    users = [s["users"] for s in steps]
    values = [s["kinds"].get(k, {}).get(p, 0) for s in steps for k, p, *_ in SERIES]
    ymax = _nice(max([*values, 350]))
    xmax = max(users) * 1.05
    rmax = _nice(max(s["rps"] for s in steps) * 1.1)
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(v: float) -> float:
        return LEFT + pw * v / xmax

    low = 10.0  # a logarithmic latency axis: 20 ms and 20 s both readable, the aims too

    def y(v: float) -> float:
        return TOP + ph * (1 - (math.log10(min(max(v, low), ymax)) - 1) / (math.log10(ymax) - 1))

    def yr(v: float) -> float:
        return TOP + ph * (1 - v / rmax)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
           'font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="#fff"/>',
           f'<text x="{LEFT}" y="22" font-size="14" font-weight="bold">{escape(title)}</text>',
           f'<text x="{LEFT}" y="{H - 8}" fill="#555">{escape(note)}</text>']
    for v in (10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000):  # grid and the latency axis
        if v > ymax:
            break
        out.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e4e4e4"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:g}</text>')
    for i in range(6):  # the throughput axis
        r = rmax * i / 5
        out.append(f'<text x="{LEFT + pw + 6}" y="{yr(r) + 4:.1f}" fill="#888">{r:g}</text>')
    out.append(f'<text x="16" y="{TOP + ph / 2}" transform="rotate(-90 16 {TOP + ph / 2})" '
               'text-anchor="middle">response time, ms (log)</text>')
    out.append(f'<text x="{LEFT + pw + 40}" y="{TOP + ph / 2}" transform="rotate(90 {LEFT + pw + 40} '
               f'{TOP + ph / 2})" text-anchor="middle" fill="#888">requests/s (grey)</text>')
    for u in users:
        out.append(f'<text x="{x(u):.1f}" y="{TOP + ph + 16}" text-anchor="middle">{u}</text>')
    out.append(f'<text x="{LEFT + pw / 2}" y="{TOP + ph + 34}" text-anchor="middle">concurrent users</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>')
    for value, label, colour in AIMS:
        if value <= ymax:
            out.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                       f'stroke="{colour}" stroke-dasharray="2 3" opacity="0.7"/>')
            out.append(f'<text x="{LEFT + 4}" y="{y(value) - 4:.1f}" fill="{colour}" font-size="10">{label}</text>')
    rps = " ".join(f"{x(s['users']):.1f},{yr(s['rps']):.1f}" for s in steps)
    out.append(f'<polyline points="{rps}" fill="none" stroke="#aaa" stroke-width="2"/>')
    legend_y = TOP + 10
    for kind, pct, colour, dash, label in SERIES:
        points = [(s["users"], s["kinds"][kind][pct]) for s in steps if kind in s["kinds"]]
        if not points:
            continue
        line = " ".join(f"{x(u):.1f},{y(v):.1f}" for u, v in points)
        out.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2" '
                   f'stroke-dasharray="{dash}"/>')
        out.extend(f'<circle cx="{x(u):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>' for u, v in points)
        lx = LEFT + pw + 56
        out.append(f'<line x1="{lx}" x2="{lx + 18}" y1="{legend_y}" y2="{legend_y}" stroke="{colour}" '
                   f'stroke-width="2" stroke-dasharray="{dash}"/>')
        out.append(f'<text x="{lx + 22}" y="{legend_y + 4}">{label}</text>')
        legend_y += 18
    out.append("</svg>")
    return "\n".join(out) + "\n"
