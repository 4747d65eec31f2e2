"""The script to hand to spark-submit: ``spark-submit … $(python -m qingfeng.spark.submit --path) scan …``.

Runs the `qingfeng spark` commands (scan, ledger) in the driver spark-submit started, on its cluster.
"""

import sys

if __name__ == "__main__":
    if sys.argv[1:] == ["--path"]:
        print(__file__)
    else:
        from qingfeng.cli import main

        sys.argv[1:1] = ["spark"]
        main()
