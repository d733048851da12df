"""One palette, two Plotly layout templates (light and dark) and the page's CSS colours from it."""

from coros_dashboard.jsontypes import JsonObject

FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
SERIES = {  # mid-tones that read on both backgrounds
    "fitness": "#3b82f6",
    "fatigue": "#ec4899",
    "form": "#858585",  # 3.7:1 on white, 4.8:1 on the dark card
    "coros": "#f59e0b",
    "apple": "#10b981",
    "deep": "#4338ca",
    "core": "#3b82f6",
    "rem": "#7dd3fc",
    "awake": "#f97316",
    "threshold": "#8b5cf6",
}
PALETTE = {
    "light": {
        "bg": "#f8fafc",
        "card": "#ffffff",
        "text": "#1f2937",
        "muted": "#6b7280",
        "grid": "#e5e7eb",
        "line": "#d1d5db",
        "accent": "#2563eb",
        "good": "#059669",
        "caution": "#b45309",
        "bad": "#dc2626",
        # calendar: a rest day, then harder = darker; the lightest shade is 3.4:1 against a rest day
        "ramp": ["#e5e7eb", "#3577f0", "#1d4ed8", "#1e3a8a", "#172554"],
    },
    "dark": {
        "bg": "#0b1120",
        "card": "#111827",
        "text": "#e5e7eb",
        "muted": "#9ca3af",
        "grid": "#374151",
        "line": "#4b5563",
        "accent": "#60a5fa",
        "good": "#34d399",
        "caution": "#fbbf24",
        "bad": "#f87171",
        "ramp": ["#1f2937", "#3b82f6", "#60a5fa", "#93c5fd", "#dbeafe"],  # 4.0:1 and up
    },
}


def plotly_template(scheme: str) -> JsonObject:
    p = PALETTE[scheme]
    axis = {
        "gridcolor": p["grid"],
        "linecolor": p["line"],
        "zerolinecolor": p["line"],
        "automargin": True,
    }
    return {
        "layout": {
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "font": {"color": p["text"], "family": FONT, "size": 12},
            "colorway": list(SERIES.values()),
            "margin": {"l": 44, "r": 12, "t": 8, "b": 32},
            # above the plot: below it, a legend collides with the x axis title on a phone
            "legend": {
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": 1.02,
                "yanchor": "bottom",
            },
            "hoverlabel": {
                "bgcolor": p["card"],
                "bordercolor": p["line"],
                "font": {"color": p["text"]},
                "namelength": -1,
            },
            "xaxis": {**axis, "hoverformat": "%a %d %b %Y"},
            "yaxis": axis,
        }
    }


def css_variables() -> str:
    """The palette as CSS custom properties, light by default and dark under
    prefers-color-scheme."""

    def block(p):
        items = {k: v for k, v in p.items() if k != "ramp"}
        items.update({f"ramp{i}": c for i, c in enumerate(p["ramp"])})
        return " ".join(f"--{k}: {v};" for k, v in items.items())

    return (
        f":root {{ {block(PALETTE['light'])} }}\n"
        f"@media (prefers-color-scheme: dark) {{ :root {{ {block(PALETTE['dark'])} }} }}"
    )
