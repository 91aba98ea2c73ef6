#!/usr/bin/env python3
"""Fit one CSV file with lsq on a Dask cluster: lsq fit --partial on the workers, lsq merge to finish.

    python3 examples/dask/fit.py [--scheduler ADDRESS] [--lsq COMMAND] [--blocks N] [--fan-in K]
                                 [--workers N] [--verbose] FILE [lsq fit options]

The file is cut into byte ranges at line boundaries. Each task reads the header line and its own
range, pipes them into `lsq fit --partial` on a worker and returns the partial (one line of JSON).
Many partials are reduced in a tree of `lsq merge --partial` tasks on the workers, at most K at a
time; the last `lsq merge` runs here, with the output options, so the driver prints what
`lsq fit FILE [options]` prints, byte for byte on stdout, and exits with its code.

A bad block stops the run: the driver exits with lsq's code (2 for bad data) and lsq's message,
its line numbers translated from the worker's range to lines of FILE; nothing is merged.

Only the standard library and dask.distributed are used. docs/engines.md has the details.
"""

import math
import os
import re
import shlex
import subprocess
import sys
import threading

PROG = "fit.py"
READ_CHUNK = 1 << 20
BLOCK_BYTES = 256 << 20

# lsq fit options that define the model or how rows are read: every map task gets them.
MAP_VALUE = {"-y", "--target", "-x", "--features", "--degree", "--delimiter", "--missing"}
MAP_FLAG = {"--no-intercept", "--no-header"}
# Options of the solve and the output: the final lsq merge gets them.
REDUCE_VALUE = {"-m", "--method", "-a", "--alpha", "--max-iter", "--tol", "--scale", "--schedule",
                "--decay", "--optimizer", "--init", "--trace", "--save", "-f", "--format", "-o", "--output"}
REDUCE_FLAG = {"--summary", "--strict", "-q", "--quiet"}
# Methods lsq merge can solve from partials (moments): qr needs the rows' own factor, sgd the rows.
MERGE_METHODS = ("normal", "gd")

USAGE = f"""usage: python3 examples/dask/fit.py [--scheduler ADDRESS] [--lsq COMMAND] [--blocks N]
                                 [--fan-in K] [--workers N] [--verbose] FILE [lsq fit options]

  --scheduler ADDRESS  join a running cluster (tcp://host:8786); without it, start a local
                       cluster of worker processes on this machine
  --lsq COMMAND        how to run lsq, on the workers and here (default: lsq on the PATH); split
                       like a shell word list, e.g. --lsq 'dotnet /opt/lsq/lsq.dll'
  --blocks N           number of byte ranges (default: one per worker thread, more for files
                       beyond 256 MiB a thread)
  --fan-in K           partials per merge task of the tree reduction (default 16, at least 2)
  --workers N          worker processes of the local cluster (default: the number of cores)
  --verbose            say on stderr where each block ran

lsq fit options passed on: {" ".join(sorted(MAP_VALUE | MAP_FLAG | REDUCE_VALUE | REDUCE_FLAG))}
(--method normal or gd only). FILE is a path every worker can read (or an fsspec URL, untested).
"""


class Failure(Exception):
    """Ends the run with an exit code and a message for stderr."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def ensure_distributed():
    """Imports dask.distributed, or runs this script again under /usr/bin/python3 when that one has it.

    A python3 first on the PATH (pyenv, a virtualenv) often lacks Debian's python3-distributed.
    """
    try:
        import distributed  # noqa: F401
        return
    except ImportError:
        pass
    system = "/usr/bin/python3"
    if (os.environ.get("LSQ_DASK_REEXEC") != "1" and os.access(system, os.X_OK)
            and os.path.realpath(system) != os.path.realpath(sys.executable)):
        os.environ["LSQ_DASK_REEXEC"] = "1"
        sys.stdout.flush()
        os.execv(system, [system, os.path.abspath(__file__)] + sys.argv[1:])
    raise Failure(2, f"the Python module 'distributed' is not installed for {sys.executable}"
                     + (f" nor for {system}" if os.path.exists(system) else "")
                     + ". Install it ('apt-get install python3-distributed' or 'pip install distributed').")


def parse(argv):
    """Splits the command line into driver settings, map options and reduce options."""
    settings = {"scheduler": None, "lsq": ["lsq"], "blocks": None, "fan_in": 16, "workers": None, "verbose": False}
    i = 0

    def value(name):
        nonlocal i
        if i + 1 >= len(argv):
            raise Failure(1, f"{name} needs a value.\n{USAGE}")
        i += 1
        return argv[i]

    def whole(name, text, low):
        if not re.fullmatch(r"[0-9]+", text) or int(text) < low:
            raise Failure(1, f"{name} '{text}': give a whole number of at least {low}.")
        return int(text)

    while i < len(argv):
        arg = argv[i]
        name, eq, inline = arg.partition("=")
        if arg in ("-h", "--help"):
            sys.stdout.write(USAGE)
            sys.exit(0)
        elif name in ("--scheduler", "--lsq", "--blocks", "--fan-in", "--workers"):
            text = inline if eq else value(name)
            if name == "--scheduler":
                settings["scheduler"] = text
            elif name == "--lsq":
                settings["lsq"] = shlex.split(text)
                if not settings["lsq"]:
                    raise Failure(1, "--lsq is empty; give the lsq command, e.g. --lsq lsq or --lsq 'dotnet /opt/lsq/lsq.dll'.")
            elif name == "--blocks":
                settings["blocks"] = whole(name, text, 1)
            elif name == "--fan-in":
                settings["fan_in"] = whole(name, text, 2)
            else:
                settings["workers"] = whole(name, text, 1)
        elif arg == "--verbose":
            settings["verbose"] = True
        elif arg.startswith("-") and arg != "-":
            raise Failure(1, f"unknown option '{arg}' before FILE.\n{USAGE}")
        else:
            break
        i += 1

    if i >= len(argv):
        raise Failure(1, f"FILE is missing.\n{USAGE}")
    path = argv[i]
    if path == "-":
        raise Failure(1, "FILE '-': standard input cannot be cut into ranges; give a file.")
    if re.search(r"\.(gz|bz2|xz|zst|zip)$", path, re.IGNORECASE):
        raise Failure(1, f"{path}: a compressed file cannot be cut into byte ranges; decompress it first, or use 'lsq fit'.")

    map_args, reduce_args = [], []
    rest = argv[i + 1:]
    j = 0
    while j < len(rest):
        arg = rest[j]
        name, eq, _ = arg.partition("=")
        if name in MAP_VALUE or name in REDUCE_VALUE:
            target = map_args if name in MAP_VALUE else reduce_args
            if eq:
                target.append(arg)
            elif j + 1 < len(rest):
                target.extend([arg, rest[j + 1]])
                j += 1
            else:
                raise Failure(1, f"{arg} needs a value.")
        elif arg in MAP_FLAG:
            map_args.append(arg)
        elif arg in REDUCE_FLAG:
            reduce_args.append(arg)
        elif arg in ("--batch-size", "--seed"):
            raise Failure(1, f"{arg} steers --method sgd, which needs the rows; the Dask driver solves from partials (--method normal or gd).")
        elif arg.startswith("-"):
            raise Failure(1, f"'{arg}' is not an lsq fit option this driver passes on; it knows "
                             + ", ".join(sorted(MAP_VALUE | MAP_FLAG | REDUCE_VALUE | REDUCE_FLAG)) + ".")
        else:
            raise Failure(1, f"unexpected argument '{arg}' after FILE {path}: lsq fit takes one FILE.")
        j += 1

    method = option_value(reduce_args, "-m", "--method")
    if method is not None and method not in MERGE_METHODS:
        raise Failure(1, f"--method {method}: the Dask driver solves from merged partials, which carry moments, "
                         "so it offers --method normal or gd; run 'lsq fit' on one machine for qr or sgd.")
    return settings, path, map_args, reduce_args


def option_value(args, short, long):
    """The value of the last -m/--method-like option in args, or None."""
    found = None
    for k, arg in enumerate(args):
        name, eq, inline = arg.partition("=")
        if name in (short, long):
            found = inline if eq else args[k + 1]
    return found


def open_binary(path):
    """Opens a local path, or an fsspec URL (s3://, hdfs://, ...: untested here) for reading bytes."""
    if "://" in path:
        import fsspec
        return fsspec.open(path, "rb").open()
    return open(path, "rb")


def file_size(path):
    if "://" in path:
        import fsspec
        fs, _, paths = fsspec.get_fs_token_paths(path)
        return fs.size(paths[0])
    return os.path.getsize(path)


def next_line_start(f, offset, size):
    """The offset just past the first line break at or after offset (size if there is none)."""
    f.seek(offset)
    while offset < size:
        chunk = f.read(READ_CHUNK)
        if not chunk:
            break
        nl = chunk.find(b"\n")
        if nl >= 0:
            return offset + nl + 1
        offset += len(chunk)
    return size


def cut(path, has_header, blocks):
    """The header's end and the byte ranges [start, end) of about equal size, each ending after a line break."""
    size = file_size(path)
    with open_binary(path) as f:
        header_end = next_line_start(f, 0, size) if has_header else 0
        data = size - header_end
        bounds = [header_end]
        for k in range(1, blocks):
            b = next_line_start(f, header_end + data * k // blocks, size) if data > 0 else size
            if b > bounds[-1]:
                bounds.append(b)
        if size > bounds[-1] or len(bounds) == 1:
            bounds.append(size)
    return header_end, list(zip(bounds[:-1], bounds[1:]))


# ----- tasks: these run on the workers (cloudpickle ships them with the script's globals) -----

def run_piped(command, feed):
    """Runs command with feed(stdin) writing its standard input; returns (code, stdout, stderr)."""
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = [], []
    readers = [threading.Thread(target=lambda s=s, into=into: into.append(s.read()))
               for s, into in ((proc.stdout, out), (proc.stderr, err))]
    for t in readers:
        t.start()
    try:
        feed(proc.stdin)
    except BrokenPipeError:
        pass  # lsq stopped early (bad data); its message says why
    finally:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
    for t in readers:
        t.join()
    return proc.wait(), out[0], err[0]


def where_am_i():
    try:
        from distributed import get_worker
        return get_worker().address
    except (ImportError, ValueError):
        return "this process"


def translate(message, path, lines_before, has_header):
    """lsq's message about its standard input, with lines of the range turned into lines of path."""
    def line(m):
        n = int(m.group(1))
        absolute = n if has_header and n == 1 else lines_before + n - (1 if has_header else 0)
        return f"{path}:{absolute}"
    return re.sub(r"<stdin>:([0-9]+)", line, message).replace("<stdin>", path)


def count_lines_before(path, offset):
    count = 0
    with open_binary(path) as f:
        left = offset
        while left > 0:
            chunk = f.read(min(READ_CHUNK, left))
            if not chunk:
                break
            count += chunk.count(b"\n")
            left -= len(chunk)
    return count


def fit_block(lsq, path, header_end, start, end, map_args):
    """Map: lsq fit --partial on the header and bytes [start, end) of path."""
    worker = where_am_i()
    has_header = "--no-header" not in map_args

    def feed(stdin):
        with open_binary(path) as f:
            if header_end > 0:
                stdin.write(f.read(header_end))
            f.seek(start)
            left = end - start
            while left > 0:
                chunk = f.read(min(READ_CHUNK, left))
                if not chunk:
                    break
                stdin.write(chunk)
                left -= len(chunk)

    try:
        code, out, err = run_piped(lsq + ["fit", "--partial", "-q"] + map_args + ["-"], feed)
    except OSError as e:
        return {"ok": False, "code": 2, "worker": worker,
                "message": f"{PROG}: error: worker {worker} could not run {shlex.join(lsq)} on {path}: {e}. "
                           "Check --lsq and that the file is readable there."}
    if code != 0:
        text = err.decode("utf-8", "replace").rstrip("\n")
        return {"ok": False, "code": code, "worker": worker,
                "message": translate(text, path, count_lines_before(path, start), has_header)}
    return {"ok": True, "partial": out.decode("utf-8").strip(), "worker": worker}


def merge_group(lsq, partials):
    """Reduce: lsq merge --partial of several partials, giving one."""
    worker = where_am_i()
    text = ("\n".join(partials) + "\n").encode("utf-8")
    try:
        code, out, err = run_piped(lsq + ["merge", "--partial", "-q", "-"], lambda stdin: stdin.write(text))
    except OSError as e:
        return {"ok": False, "code": 2, "worker": worker,
                "message": f"{PROG}: error: worker {worker} could not run {shlex.join(lsq)}: {e}."}
    if code != 0:
        return {"ok": False, "code": code, "worker": worker, "message": err.decode("utf-8", "replace").rstrip("\n")}
    return {"ok": True, "partial": out.decode("utf-8").strip(), "worker": worker}


# ----- the driver -----

def say(text):
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def run_lsq_here(lsq, args, stdin_text):
    """Runs lsq on this machine: stdout goes straight to ours, stderr is returned."""
    sys.stdout.flush()
    try:
        proc = subprocess.run(lsq + args, input=stdin_text.encode("utf-8"), stderr=subprocess.PIPE)
    except OSError as e:
        raise Failure(2, f"cannot run {shlex.join(lsq)} here: {e}. Give the command with --lsq.")
    return proc.returncode, proc.stderr.decode("utf-8", "replace")


def map_blocks(client, settings, path, header_end, ranges, map_args):
    """Runs the map tasks; returns the partials in file order, or raises the first bad block's failure."""
    from distributed import as_completed

    lsq = settings["lsq"]
    futures = [client.submit(fit_block, lsq, path, header_end, s, e, map_args, pure=False, retries=0)
               for s, e in ranges]
    index = {f.key: k for k, f in enumerate(futures)}
    results = [None] * len(futures)
    first_bad = None
    pending = as_completed(futures)
    for future in pending:
        k = index[future.key]
        if future.cancelled():
            continue
        try:
            results[k] = future.result()
        except Exception as e:  # the task itself failed (a worker died, the file vanished, ...)
            results[k] = {"ok": False, "code": 2, "worker": "?",
                          "message": f"{PROG}: error: block {k + 1} of {path} failed on the cluster: {type(e).__name__}: {e}"}
        if not results[k]["ok"] and (first_bad is None or k < first_bad):
            # Blocks after it are not needed; blocks before it may hold an earlier bad line.
            first_bad = k
            later = [f for f in futures[k + 1:] if not f.done()]
            if later:
                client.cancel(later)
    if settings["verbose"]:
        for k, ((s, e), r) in enumerate(zip(ranges, results)):
            if r is not None:
                say(f"{PROG}: block {k + 1}/{len(ranges)} bytes {s}-{e} on {r['worker']}: {'ok' if r['ok'] else 'failed'}")
    if first_bad is not None:
        bad = results[first_bad]
        s, e = ranges[first_bad]
        raise Failure(bad["code"], bad["message"] + "\n"
                      + f"{PROG}: block {first_bad + 1} of {len(ranges)} (bytes {s}-{e} of {path}) failed on {bad['worker']}; nothing was merged.")
    return [r["partial"] for r in results]


def reduce_tree(client, settings, partials):
    """Merges groups of fan-in partials on the workers until at most fan-in are left."""
    fan_in = settings["fan_in"]
    level = 0
    while len(partials) > fan_in:
        level += 1
        groups = [partials[k:k + fan_in] for k in range(0, len(partials), fan_in)]
        futures = [client.submit(merge_group, settings["lsq"], g, pure=False) for g in groups]
        merged = client.gather(futures)
        for r in merged:
            if not r["ok"]:
                raise Failure(r["code"], r["message"] + f"\n{PROG}: a merge task of level {level} failed on {r['worker']}.")
        if settings["verbose"]:
            say(f"{PROG}: merge level {level}: {len(partials)} partials into {len(merged)} on the workers")
        partials = [r["partial"] for r in merged]
    return partials


def connect(settings):
    import logging
    from distributed import Client, LocalCluster

    # Closing a client (seen with distributed 2022.12) can leave an asyncio future whose timeout
    # nobody reads; asyncio would print it on stderr as "Future exception was never retrieved".
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    if settings["scheduler"]:
        try:
            return Client(settings["scheduler"], timeout="30s"), None
        except (OSError, TimeoutError) as e:
            raise Failure(2, f"cannot reach the Dask scheduler at {settings['scheduler']}: {e}")
    workers = settings["workers"] or os.cpu_count() or 1
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    return Client(cluster), cluster


def main(argv):
    settings, path, map_args, reduce_args = parse(argv)
    ensure_distributed()
    lsq = settings["lsq"]
    try:
        file_size(path)
    except ImportError as e:
        raise Failure(2, f"{path}: a URL needs fsspec and its backend for that scheme ({e}); install them, or give a path.")
    except FileNotFoundError:
        raise Failure(2, f"{path}: no such file. Check the path (every worker reads it at this same path).")
    except OSError as e:
        raise Failure(2, f"{path}: cannot be read: {e}")

    # Settle usage errors in the solve options (and output folders) before any block is read: an
    # empty merge fails only for want of partials once its options are good.
    code, err = run_lsq_here(lsq, ["merge"] + reduce_args + ["-"], "")
    if "no partials to merge" not in err:
        sys.stderr.write(err)
        raise Failure(code if code != 0 else 2, "")

    client, cluster = connect(settings)
    try:
        threads = sum(client.nthreads().values()) or 1
        # Each block starts one lsq (a third of a second for the JIT build on a busy machine), so
        # one block per worker thread, and more only for files beyond 256 MiB a thread.
        blocks = settings["blocks"] or max(threads, math.ceil(file_size(path) / BLOCK_BYTES))
        header_end, ranges = cut(path, "--no-header" not in map_args, blocks)
        if settings["verbose"]:
            say(f"{PROG}: {len(ranges)} blocks of {path} on {len(client.nthreads())} workers ({threads} threads)")
        partials = map_blocks(client, settings, path, header_end, ranges, map_args)
        partials = reduce_tree(client, settings, partials)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    code, err = run_lsq_here(lsq, ["merge"] + reduce_args + ["-"], "\n".join(partials) + "\n")
    # lsq fit names the file in its skipped-rows warning; the merge only knows partials.
    sys.stderr.write(err.replace("of the partials' inputs", f"of {path}"))
    return code


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Failure as failure:
        if failure.message:
            say(failure.message if failure.message.startswith(("lsq:", PROG)) else f"{PROG}: error: {failure.message}")
        sys.exit(failure.code)
    except KeyboardInterrupt:
        sys.exit(130)
