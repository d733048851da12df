"""Apple Health: one pushed day, and the Health app's whole export against healthkit-to-sqlite."""

import json
from pathlib import Path

from benchmarks.common import OUT, PY, ROOT, RUNS, TODAY, median, run
from coros_dashboard.emulator.export_files import write_export


def bench_receive(data: Path) -> float:
    walls = []
    for i in range(RUNS):
        day = {
            "days": [
                {
                    "date": TODAY.isoformat(),
                    "resting_hr": 50 + i,
                    "hrv_ms": [48, 52],
                    "steps": "9000",
                }
            ]
        }
        wall, _, _ = run(
            [PY, str(ROOT / "receive_health_data.py"), "-", "--data-dir", str(data)],
            stdin=json.dumps(day),
        )
        walls.append(wall)
    return median(walls)


def bench_health_export() -> tuple:
    """Import a generated ~250 MB export.zip (1,500 days, heart rate every 5 min, iPhone and Watch
    steps) against healthkit-to-sqlite on the same file, and a 4× denser one for RSS growth."""
    sizes, ours, rss = {}, {}, {}
    for name, every in (("1x", 5), ("4x", 1)):
        export = write_export(OUT / f"export-{name}.zip", days=1500, hr_every_min=every)
        import zipfile

        sizes[name] = (
            zipfile.ZipFile(export.path).getinfo("apple_health_export/export.xml").file_size / 1e6
        )
        walls, peaks = [], []
        for _ in range(3 if name == "1x" else 1):
            data = OUT / f"health-import-{name}"
            (data / "health.json").unlink(missing_ok=True)
            wall, peak, _ = run(
                [
                    PY,
                    str(ROOT / "receive_health_data.py"),
                    str(export.path),
                    "--data-dir",
                    str(data),
                ]
            )
            walls.append(wall)
            peaks.append(peak)
        days = json.loads((data / "health.json").read_text())["days"]
        wrong = sum(
            1
            for d in days
            if {k: v for k, v in d.items() if k != "date"} != export.expected.get(d["date"])
        )
        if wrong or len(days) != len(export.expected):
            raise SystemExit(
                f"bench: the {name} import differs from the generated truth on {wrong} days"
            )
        ours[name], rss[name] = median(walls), max(peaks)
    db = OUT / "healthkit.db"
    db.unlink(missing_ok=True)
    anchor, anchor_rss, _ = run(
        [str(Path(PY).parent / "healthkit-to-sqlite"), str(OUT / "export-1x.zip"), str(db)]
    )
    per_mb = (ours["4x"] - ours["1x"]) / (sizes["4x"] - sizes["1x"])
    two_gb = ours["1x"] + per_mb * (2000 - sizes["1x"])
    return sizes, ours, rss, anchor, anchor_rss, two_gb
