"""The whole pipeline on emulated data, no credentials and no network: `make demo`."""

import argparse
import os
import subprocess
import sys
from pathlib import Path

from .emulator import Emulator, synthetic_athlete

ROOT = Path(__file__).resolve().parent.parent


def run_step(script: str, *args, env=None) -> None:
    result = subprocess.run([sys.executable, str(ROOT / script), *map(str, args)], env=env)
    if result.returncode:
        sys.exit(f"demo: {script} failed (exit {result.returncode})")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", default="demo-data", type=Path)
    parser.add_argument("--years", type=float, default=4)
    args = parser.parse_args(argv)
    if args.data_dir.resolve() == (ROOT / "data").resolve():
        sys.exit("demo: refusing to write the demo into data/, which holds the owner's own history")
    athlete = synthetic_athlete(years=args.years, seed=1)
    with Emulator([athlete]) as emulator:
        env = {**os.environ, "COROS_API_BASE": emulator.base_url, "COROS_EMAIL": athlete.email,
               "COROS_PASSWORD": athlete.password, "PYTHONPATH": str(ROOT)}
        run_step("fetch_coros.py", "--data-dir", args.data_dir, env=env)
    print(f"demo: data in {args.data_dir}/")


if __name__ == "__main__":
    main()
