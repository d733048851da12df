"""Run the COROS emulator by hand: python -m coros_dashboard.emulator [--years N] [--port P]."""

import argparse
import time

from coros_dashboard.emulator import Emulator, seed_athlete, synthetic_athlete


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--years", type=float, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    args = parser.parse_args()
    emulator = Emulator([synthetic_athlete(args.years, args.seed), seed_athlete()], args.latency)
    url = emulator.start(port=args.port)
    print(
        f"COROS emulator on {url}\n"
        f"  COROS_API_BASE={url} COROS_EMAIL=demo@example.com COROS_PASSWORD=demo-password "
        "python fetch_coros.py --data-dir demo-data\n"
        "  (the recorded seed athlete: seed@example.com / seed-password)",
        flush=True,
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        emulator.stop()


if __name__ == "__main__":
    main()
