"""An executor written with pycolonies that assigns `--count` processes one after the other, reports the
spec each one arrived with as pycolonies' model parsed it, and closes each successfully with ["ok"].

pycolonies' FuncSpec model declares `args` as a list (not optional): an assign reply carrying `"args": null`
fails validation inside client.assign, which this peer reports as an `error` event.

Events: registered, assigned (one per process), closed (one per process) (then exit).
"""

import argparse
import time

from interop_common import assign_next, connect, emit, register_executor, run, spec_json, unregister_executor


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--executor-type", required=True)
    ap.add_argument("--executor-name", required=True)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--assign-timeout", type=int, default=90)
    opts = ap.parse_args()

    client = connect()
    prvkey = register_executor(client, opts.executor_type, opts.executor_name)
    try:
        deadline = time.monotonic() + opts.assign_timeout
        for _ in range(opts.count):
            process = assign_next(client, prvkey, deadline)
            emit("assigned", processid=process.processid, spec=spec_json(process))
            client.close(process.processid, ["ok"], prvkey)
            emit("closed", processid=process.processid, output=["ok"])
    finally:
        unregister_executor(client, opts.executor_name)


if __name__ == "__main__":
    run(main, 240)
