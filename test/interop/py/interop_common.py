"""What every interop peer shares: the connection and keys from the environment, JSON-line events on stdout,
channel entries as plain JSON, an assign loop and executor registration, all through pycolonies only.

Keys come from COLONIES_PRVKEY / COLONIES_COLONY_PRVKEY and are never printed. Every peer runs under a hard
deadline (SIGALRM) besides the one its parent test enforces, so a blocking call cannot hang it for ever.
"""

import json
import os
import signal
import sys
import threading
import time
import traceback

from pycolonies import Colonies, ColoniesConnectionError, ColoniesError
from crypto import Crypto

NO_WORK = "No process available for assignment"
STARTED = time.monotonic()


_emit_lock = threading.Lock()


def emit(event, **fields):
    """One JSON line per event; the TypeScript test parses and asserts on these (`at`: seconds since start).
    Written whole under a lock: subscription callbacks emit from another thread."""
    line = json.dumps({"event": event, "at": round(time.monotonic() - STARTED, 3), **fields}) + "\n"
    with _emit_lock:
        sys.stdout.write(line)
        sys.stdout.flush()


def env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise RuntimeError(f"{name} is not set")
    return value


def connect():
    host = env("COLONIES_SERVER_HOST")
    port = int(env("COLONIES_SERVER_PORT"))
    tls = os.environ.get("COLONIES_TLS", "").strip().lower() in ("1", "true", "yes")
    return Colonies(host, port, tls=tls)


def colony_name():
    return env("COLONIES_COLONY_NAME")


def user_key():
    return env("COLONIES_PRVKEY")


def colony_key():
    return env("COLONIES_COLONY_PRVKEY")


def id_of(prvkey):
    return Crypto().id(prvkey)


def entry_text(entry):
    """pycolonies decodes non-empty payloads to bytes and leaves an empty one as "" (or None when null)."""
    payload = entry.get("payload")
    if isinstance(payload, (bytes, bytearray)):
        return payload.decode("utf-8")
    if payload is None:
        return None
    return str(payload)


def entry_json(entry):
    return {
        "sequence": entry.get("sequence"),
        "inreplyto": entry.get("inreplyto", 0),
        "senderid": entry.get("senderid"),
        "type": entry.get("type"),
        "text": entry_text(entry),
    }


def entry_key(entry):
    """Subscriptions may deliver an entry twice at their start (history frame, then push)."""
    return (entry.get("senderid"), entry.get("sequence"), entry.get("timestamp"))


def spec_json(process):
    spec = process.spec
    return {
        "funcname": spec.funcname,
        "args": spec.args,
        "kwargs": spec.kwargs,
        "channels": spec.channels,
        "executortype": spec.conditions.executortype,
    }


def register_executor(client, executortype, name):
    """A fresh executor key, registered and approved with the colony owner key, as an operator would."""
    prvkey = Crypto().prvkey()
    executorid = id_of(prvkey)
    colony = colony_name()
    executor = {"executorname": name, "executorid": executorid, "colonyname": colony, "executortype": executortype}
    client.add_executor(executor, colony_key())
    client.approve_executor(colony, name, colony_key())
    emit("registered", executorid=executorid, executorname=name, executortype=executortype)
    return prvkey


def unregister_executor(client, name):
    try:
        client.remove_executor(colony_name(), name, colony_key())
    except Exception as err:  # best effort: the test has its answer already
        emit("warning", message=f"could not remove executor {name}: {err}")


def assign_next(client, prvkey, deadline):
    """Long-polls assign until a process comes or the deadline (time.monotonic) passes."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no process was assigned before the deadline")
        try:
            return client.assign(colony_name(), max(1, min(10, int(left))), prvkey)
        except (ColoniesConnectionError, ColoniesError) as err:
            if NO_WORK in str(err):
                continue
            raise


TERMINAL = {2: "SUCCESS", 3: "FAILED", 4: "CANCELLED"}


def wait_finished(client, processid, prvkey, timeout):
    """Reads the process until it has finished, and returns it as stored.

    pycolonies' wait() subscribes for SUCCESS, and a real server checks the state before it registers the
    listener, so a process that finishes in between is never signalled and wait() runs into the server dropping
    the socket at its timeout. Reading is what the tutorial's flows need anyway: the stored output.
    """
    deadline = time.monotonic() + timeout
    while True:
        process = client.get_process(processid, prvkey)
        if process.state in TERMINAL:
            return process
        if time.monotonic() > deadline:
            raise TimeoutError(f"process {processid} did not finish within {timeout} s (state {process.state})")
        time.sleep(0.2)


def follow_channel(client, processid, channel, prvkey, callback, timeout, after_seq=0, grace=3.0):
    """pycolonies' subscribe_channel, watched from this thread while it runs in another.

    - The server ends a channel subscription silently when the process closes (docs/protocol.md P7) and pycolonies then
      blocks in recv() for ever: this thread polls the process state, and a process that ends under a live
      subscription is an error.
    - Once the callback has said stop, pycolonies closes the socket and waits (websocket-client: 3 s) for a close
      reply a real server never sends (docs/protocol.md P25): that wait is left to the background thread.
    Returns when the callback returns False or the subscription ends (the server's empty frame at `timeout`).
    """
    outcome = {}
    done = threading.Event()

    def watched(entries):
        keep = callback(entries)
        if keep is False:
            outcome["stopped"] = True
            done.set()
        return keep

    def subscribe():
        try:
            client.subscribe_channel(processid, channel, prvkey, after_seq=after_seq, timeout=timeout, callback=watched)
        except BaseException as err:  # noqa: BLE001 - handed to the caller's thread
            outcome["error"] = err
        finally:
            done.set()

    threading.Thread(target=subscribe, name=f"subscribe-{channel}", daemon=True).start()
    ended_at = None
    while not done.wait(0.25):
        state = client.get_process(processid, prvkey).state
        if state in TERMINAL:
            ended_at = ended_at or time.monotonic()
            if time.monotonic() - ended_at > grace:
                raise RuntimeError(
                    f"the process reached {TERMINAL[state]} while subscribed to {channel}: the subscription never ended "
                    "(the server ends it without a frame and pycolonies' subscribe_channel waits for one for ever)"
                )
    # Once the callback has said stop, what pycolonies does with the socket (a close that a server may answer by
    # dropping the connection) is no longer the subscription's outcome.
    if "error" in outcome and not outcome.get("stopped"):
        raise outcome["error"]


class Deadline(Exception):
    pass


def run(main, limit_seconds):
    """Runs main() under a hard deadline; any failure becomes an `error` event and exit code 1."""

    def on_alarm(signum, frame):
        raise Deadline(f"the peer's own deadline of {limit_seconds} s passed")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(limit_seconds))
    try:
        main()
    except BaseException as err:  # noqa: BLE001 - reported to the parent test, which decides
        signal.alarm(0)
        emit("error", type=type(err).__name__, message=str(err))
        traceback.print_exc(file=sys.stderr)
        sys.stdout.flush()
        os._exit(1)
    signal.alarm(0)
    emit("exit")
    sys.stdout.flush()
    # websocket-client may leave a close handshake waiting on a server that never answers it (docs/protocol.md P25).
    os._exit(0)
