#!/usr/bin/env python3
"""The speed table of docs/PERFORMANCE.md: each request through papi against its own SQL.

For every request of the table it measures, on a PostgreSQL database loaded with the synthetic
data set (seeded first when the database has no petitions):

- API req/s: wrk with CLIENTS connections for SECONDS against bin/papi on 127.0.0.1;
- statements: what PostgreSQL logged for one such request (log_min_duration_statement = 0 for
  this database only, read from the server's log file), with its parameters;
- SQL tx/s: pgbench replaying exactly those statements, with those parameters, at the same
  concurrency (values that must be unique on each write get a fresh suffix per transaction); a
  read's right after its wrk run, on the same rows, before the writes add petitions;
- main query alone: pgbench on the slowest of them;
- planned each time: how many of a read's statements PostgreSQL plans anew on every execution
  as papi sends them (prepared, with parameters), which the replay, with the values written
  in and prepared once, does not pay: a statement that costs more to plan than to run shows
  here first;

and prints the table with API ÷ SQL. The machine's load average is printed with it: on a shared
machine the figures are upper bounds of the time taken.

Statements are counted as PostgreSQL logs them for the one request, the session's read and the
idempotency key's statements included, BEGIN and COMMIT left out of the count (they are in the
replay).

The two writes:

The writes go to another commune, of another province (the writing commune), so the petitions
they add stay out of every read of the table and a run reads what the run before it read.

- a create sends a fresh Idempotency-Key each time, so every request creates a petition in the
  writing commune. Its replay is trustworthy as it stands: the key gets a fresh suffix per
  transaction, the reference is computed inside the one write statement from the counter (no
  literal to collide), and the replay takes the commune's counter and rollup cell at the same
  point as papi does, in the last statement before COMMIT; API and replay wait in the same queue.
- a transition received → assigned (to the commune itself, its officials told) needs a petition
  still received for each request. wrk moves each petition of a pool once: received petitions
  of the commune with the create's text, version 1, topped up to PERF_POOL (default 600 a second
  measured) by running the create row's wrk first. The replay instead runs the captured
  statements in a transaction that is rolled back, each pgbench client on a petition of its own
  (PERF_CLIENTS fresh ones, created just before): a pool would run dry at pgbench's rate, and the
  rollback keeps each client's petition received. The rollback spares the replay the commit's
  WAL flush that papi's transaction pays, so for this row API ÷ SQL is a lower bound.

Usage (root, PostgreSQL on this host):

    make perf-table                                   # or:
    PERF_DATABASE_URL=postgres://postgres@127.0.0.1:5432/papi_perf?sslmode=disable \\
        PERF_SECONDS=20 PERF_CLIENTS=32 scripts/perf-table.py [request-name ...]

Environment: PERF_DATABASE_URL (default papi_perf on 127.0.0.1, created if missing),
PERF_COMMUNES (communes to seed into an empty database, default 3300: about a million
petitions, some minutes), PERF_SECONDS (20), PERF_CLIENTS (32), PERF_POOL (received petitions
for the transition's wrk, default 600 per second measured), PERF_PG_LOG (the server's log
file; default: the newest file in /var/log/postgresql). Needs wrk (apt-get install -y wrk),
pgbench and psql. Not part of make test: it measures, it does not assert.
"""
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

URL = os.environ.get("PERF_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/papi_perf?sslmode=disable")
SECONDS = int(os.environ.get("PERF_SECONDS", "20"))
CLIENTS = int(os.environ.get("PERF_CLIENTS", "32"))
COMMUNES = os.environ.get("PERF_COMMUNES", "3300")
POOL = int(os.environ.get("PERF_POOL", str(600 * SECONDS)))
DB = urllib.parse.urlparse(URL).path.lstrip("/")
ADMIN_URL = URL.replace("/" + DB, "/postgres", 1)


def psql(sql, url=URL):
    out = subprocess.run(["psql", url, "-Atqc", sql], check=True, capture_output=True, text=True).stdout
    return out.strip()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_log():
    if os.environ.get("PERF_PG_LOG"):
        return os.environ["PERF_PG_LOG"]
    d = "/var/log/postgresql"
    files = [os.path.join(d, f) for f in os.listdir(d) if f.endswith(".log")]
    return max(files, key=os.path.getmtime)


class Session:
    """A signed-in user: the cookie and CSRF token wrk and the capture send."""

    def __init__(self, base, username):
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        body = json.dumps({"username": username, "password": "demo-password"}).encode()
        req = urllib.request.Request(base + "/api/v1/auth/login", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
        with self.opener.open(req) as r:
            self.csrf = json.loads(r.read())["csrf_token"]
        self.cookie = "; ".join("%s=%s" % (c.name, c.value) for c in jar)

    def headers(self):
        return {"Cookie": self.cookie, "X-CSRF-Token": self.csrf, "Content-Type": "application/json"}


def call(base, method, path, session=None, body=None, extra=None):
    headers = dict(session.headers() if session else {})
    headers.update(extra or {})
    req = urllib.request.Request(base + path, method=method, headers=headers,
                                 data=None if body is None else json.dumps(body).encode())
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, r.read()


def pick_units():
    """The benchmark commune (the middle live commune under a district), its district and
    province, and their users; a petition of it; the writing commune, its chair and a hamlet."""
    commune = psql("""SELECT c.id FROM units c JOIN units d ON d.id = c.parent_id
        WHERE c.level = 'commune' AND c.valid_to IS NULL AND d.level = 'district' ORDER BY c.id
        OFFSET (SELECT count(*) / 2 FROM units c JOIN units d ON d.id = c.parent_id
                WHERE c.level = 'commune' AND c.valid_to IS NULL AND d.level = 'district') LIMIT 1""")
    district, province = psql("SELECT d.id, d.parent_id FROM units c JOIN units d ON d.id = c.parent_id WHERE c.id = %s" % commune).split("|")
    chair = psql("SELECT username FROM users WHERE role = 'commune_chair' AND unit_id = %s LIMIT 1" % commune)
    official = psql("SELECT username FROM users WHERE role = 'district_official' AND unit_id = %s LIMIT 1" % district)
    admin = psql("SELECT username FROM users WHERE role = 'admin' AND unit_id = %s LIMIT 1" % province)
    hamlet, topic = psql("""SELECT h.id, (SELECT id FROM topics WHERE code = 'GT') FROM units h
        WHERE h.parent_id = %s AND h.level = 'hamlet' AND h.valid_to IS NULL ORDER BY h.id LIMIT 1""" % commune).split("|")
    petition = psql("SELECT id FROM petitions WHERE commune_id = %s ORDER BY received_at DESC LIMIT 1" % commune)
    # The writes go to a commune of another province: the petitions they add stay out of every
    # read of the table, so a second run reads what the first one read.
    wcommune = psql("""SELECT c.id FROM units c JOIN units d ON d.id = c.parent_id
        WHERE c.level = 'commune' AND c.valid_to IS NULL AND d.level = 'district' AND d.parent_id <> %s
        ORDER BY c.id LIMIT 1""" % province)
    writer = psql("SELECT username FROM users WHERE role = 'commune_chair' AND unit_id = %s LIMIT 1" % wcommune)
    whamlet = psql("""SELECT id FROM units WHERE parent_id = %s AND level = 'hamlet' AND valid_to IS NULL
        ORDER BY id LIMIT 1""" % wcommune)
    return dict(commune=commune, district=district, province=province, chair=chair, official=official,
                admin=admin, hamlet=hamlet, topic=topic, petition=petition, wcommune=wcommune, writer=writer,
                whamlet=whamlet)


def requests(u):
    """The table's requests: name, user, method, path, body maker (a write), unique values."""
    create = {"commune_id": int(u["wcommune"]), "hamlet_id": int(u["whamlet"]), "channel": "reception",
              "kind": "kien_nghi", "topic_code": "GT", "content": "Đường liên ấp xuống cấp, đề nghị sửa chữa trước mùa mưa."}
    return [
        ("public board, one commune", None, "GET", "/api/v1/public/communes/%s/petitions" % u["commune"], None),
        ("Open311 requests", None, "GET", "/open311/v2/requests.json", None),
        ("petition list, one commune", "chair", "GET", "/api/v1/petitions?commune_id=%s" % u["commune"], None),
        ("petition detail", "chair", "GET", "/api/v1/petitions/%s" % u["petition"], None),
        ("district summary, a year", "official", "GET", "/api/v1/reports/summary?period=year", None),
        ("province summary, a year", "admin", "GET", "/api/v1/reports/summary?period=year", None),
        ("province series, a year by month", "admin", "GET", "/api/v1/reports/series?period=year", None),
        ("petition list, a district", "official", "GET", "/api/v1/petitions", None),
        ("overdue, a district", "official", "GET", "/api/v1/reports/overdue", None),
        ("search \"nuoc\", a district", "official", "GET", "/api/v1/petitions?q=nuoc", None),
        ("create a petition (unique key)", "writer", "POST", "/api/v1/petitions", create),
        (TRANSITION, "writer", "POST", "/api/v1/petitions/{id}/transitions",
         {"to": "assigned", "version": 1, "responsible_unit_id": int(u["wcommune"])}),
    ]


TRANSITION = "transition received → assigned"
CREATE = "create a petition (unique key)"


def received_pool(u, content):
    """The received petitions a transition may move: the create row's, not moved yet."""
    out = psql("""SELECT id FROM petitions WHERE commune_id = %s AND state = 'received' AND version = 1
        AND content = '%s' ORDER BY id""" % (u["wcommune"], content.replace("'", "''")))
    return [int(x) for x in out.split()] if out else []


def fresh_petitions(base, session, body, n):
    """Creates n petitions one after another, so their ids follow each other; returns the first."""
    ids = []
    for i in range(n):
        _, raw = call(base, "POST", "/api/v1/petitions", session, body, {"Idempotency-Key": "perf-pool-%d-%d" % (time.time_ns(), i)})
        ids.append(json.loads(raw)["id"])
    if ids != list(range(ids[0], ids[0] + n)):
        raise SystemExit("the fresh petitions' ids do not follow each other: %s" % ids)
    return ids[0]


LINE = re.compile(r"^\S+ \S+ \S+ \[(\d+)\] (?:\S*@(\S*) )?(LOG|DETAIL):  (.*)$")
STMT = re.compile(r"^duration: ([0-9.]+) ms  (?:execute [^:]*|statement): (.*)$", re.S)
PARAM = re.compile(r"\$(\d+) = ('(?:[^']|'')*'|NULL)")


def capture(logfile, fn, background=frozenset()):
    """Runs fn and returns the statements PostgreSQL logged meanwhile: (ms, SQL with its
    parameters written in, SQL as sent), leaving out those of background (the notification
    sender's polling, as logged while papi was idle)."""
    start = os.path.getsize(logfile)
    fn()
    time.sleep(0.3)
    with open(logfile, encoding="utf-8", errors="replace") as f:
        f.seek(start)
        lines = f.read().splitlines()
    entries = []  # [kind, text, backend pid]
    for line in lines:
        m = LINE.match(line)
        if m and m.group(2) in (None, DB):
            entries.append([m.group(3), m.group(4), m.group(1)])
        elif m:
            entries.append(["OTHER", "", ""])
        elif entries and entries[-1][0] == "OTHER":
            continue
        elif entries and line.startswith("\t"):
            entries[-1][1] += "\n" + line[1:]
    out = []
    last = {}  # by backend: the statement kept a DETAIL line of it belongs to
    for kind, text, pid in entries:
        if kind == "LOG":
            m = STMT.match(text)
            last[pid] = None
            if m:
                out.append([float(m.group(1)), m.group(2).strip(), m.group(2).strip(), {}])
                last[pid] = out[-1]
        elif kind == "DETAIL" and last.get(pid) is not None and text.lower().startswith("parameters:"):
            params = {int(n): v for n, v in PARAM.findall(text)}
            last[pid][1] = re.sub(r"\$(\d+)\b", lambda m: params.get(int(m.group(1)), m.group(0)), last[pid][1])
            last[pid][3] = params
    return [(ms, sql, raw, params) for ms, sql, raw, params in out
            if sql.lower() not in ("", "select 1") and raw not in background]


def planned_each_time(raw, params):
    """Tells whether PostgreSQL plans a read anew on every execution, as papi sends it: prepared
    with its parameters, it is run six times and explained the seventh. PostgreSQL keeps a
    generic plan (one that shows $1 and the like) once it costs no more than the plans made for
    the values given; otherwise it plans every execution, which the replay, with the values
    written in, never pays."""
    if not params or not raw.lower().startswith("select"):
        return False
    values = ", ".join(params[n] for n in sorted(params))
    script = ("PREPARE q AS %s;\n\\o /dev/null\n" % raw + "EXECUTE q(%s);\n" % values * 6 +
              "\\o\nEXPLAIN EXECUTE q(%s);\n" % values)
    out = subprocess.run(["psql", URL, "-X", "-Atq", "-v", "ON_ERROR_STOP=1"], input=script, capture_output=True, text=True)
    if out.returncode != 0:
        return None
    explained = out.stdout.splitlines()
    return not any(re.search(r"\$\d+\b", line) for line in explained)


def quote_colons(sql):
    """Keeps pgbench from reading :name inside a string literal (JSON such as "due_on":null) as
    one of its variables: the literal is cut after the colon and joined again."""
    out, i, inside = [], 0, False
    while i < len(sql):
        ch = sql[i]
        if ch == "'":
            inside = not inside
        if inside and ch == ":" and i + 1 < len(sql) and (sql[i + 1].isalpha() or sql[i + 1] == "_"):
            out.append(":' || '")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def pgbench(statements, unique=(), petition=None, first=None):
    """tx/s of the statements replayed at CLIENTS connections for SECONDS. With petition (the id
    the captured statements name) and first, each client names petition first + its number
    instead, and its transaction is rolled back."""
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write("\\set r random(1, 2000000000)\n")
        if petition:
            f.write("\\set pid %d + :client_id\n" % first)
        for sql in statements:
            sql = quote_colons(sql)
            for value in unique:
                sql = sql.replace("'%s'" % value, "('%s-' || :client_id || '-' || :r)" % value[:20])
            if petition:
                sql = re.sub(r"(?<![\w'.-])%d(?![\w-])" % petition, ":pid", sql)
                if sql.strip().lower() == "commit":
                    sql = "ROLLBACK"
            f.write(" ".join(sql.split()) + ";\n")
        script = f.name
    try:
        out = subprocess.run(["pgbench", "-n", "-M", "prepared", "-c", str(CLIENTS), "-j", "2", "-T", str(SECONDS),
                              "-f", script, URL.split("?")[0]], capture_output=True, text=True)
        m = re.search(r"tps = ([0-9.]+)", out.stdout)
        if not m:
            errors = [l for l in out.stderr.splitlines() if "ERROR" in l or "error" in l] or ["?"]
            return "failed: " + errors[0][:160]
        return float(m.group(1))
    finally:
        os.unlink(script)


def lua_str(text):
    """A Lua string literal of text: wrk's LuaJIT knows no \\u escapes, so every byte outside
    printable ASCII is written as a decimal escape (a literal it cannot read makes wrk drop the
    script and send plain GETs)."""
    out = []
    for b in text.encode("utf-8"):
        c = chr(b)
        out.append(c if 32 <= b < 127 and c not in '"\\' else "\\%d" % b)
    return '"' + "".join(out) + '"'


# Lua: each wrk thread learns its number (0, 1) in setup.
LUA_THREADS = 'local counter = 0\nfunction setup(thread)\n thread:set("tid", counter)\n counter = counter + 1\nend\n'


def wrk(base, method, path, session, body, pool=None):
    """req/s through papi at CLIENTS connections for SECONDS, the non-2xx answers and the 95th
    percentile of the latency in ms."""
    args = ["wrk", "-t2", "-c%d" % CLIENTS, "-d%ds" % SECONDS]
    headers = session.headers() if session else {}
    for k, v in headers.items():
        args += ["-H", "%s: %s" % (k, v)]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        if pool is not None:
            # Each request moves another petition of the pool, once; each thread takes every
            # other one.
            f.write('wrk.method = "POST"\nlocal ids = {%s}\nlocal n = 0\n' % ", ".join(map(str, pool)) + LUA_THREADS)
            f.write('function init(args)\n n = tid\nend\n')
            f.write('request = function()\n local id = ids[(n %% #ids) + 1]\n n = n + 2\n'
                    ' return wrk.format(nil, "%s", nil, %s)\nend\n' % (path.replace("{id}", '" .. id .. "'),
                                                                     lua_str(json.dumps(body, ensure_ascii=False))))
        elif method == "POST":
            # Each request carries a fresh Idempotency-Key: every one creates a petition.
            f.write('wrk.method = "POST"\nwrk.body = %s\nlocal n = 0\n' % lua_str(json.dumps(body, ensure_ascii=False)) + LUA_THREADS)
            f.write('request = function()\n n = n + 1\n'
                    ' wrk.headers["Idempotency-Key"] = "perf-" .. os.time() .. "-" .. tid .. "-" .. n .. "-" .. math.random(1e9)\n'
                    ' return wrk.format()\nend\n')
        # The 95th percentile of the latency, which wrk's own summary leaves out.
        f.write('done = function(summary, latency, requests)\n io.write(string.format("p95: %d\\n", latency:percentile(95)))\nend\n')
        script = f.name
    args += ["-s", script]
    run = subprocess.run(args + [base + path], capture_output=True, text=True)
    out = run.stdout
    os.unlink(script)
    if run.stderr.strip():
        raise SystemExit("wrk: " + run.stderr.strip()[:300])
    rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p95 = int(re.search(r"p95: (\d+)", out).group(1)) / 1000
    return rate, int(bad.group(1)) if bad else 0, p95


def replay(row):
    """Sets the row's SQL tx/s (its statements through pgbench) and, for a read, its slowest
    statement's alone."""
    sqls = [s for _, s, _, _ in row["stmts"]]
    row["sql"] = pgbench(sqls, row["unique"], row["petition"], row.get("first"))
    main_query = max(row["stmts"], key=lambda s: s[0])[1] if row["stmts"] else None
    row["main"] = pgbench([main_query], row["unique"]) if main_query and row["args"][0] == "GET" else None


def main():
    names = set(sys.argv[1:])
    if not psql("SELECT 1 FROM pg_database WHERE datname = '%s'" % DB, ADMIN_URL):
        psql("CREATE DATABASE " + DB, ADMIN_URL)
    env = dict(os.environ, PAPI_DATABASE_URL=URL, PAPI_COOKIE_SECURE="false", PAPI_METRICS_ADDR="off",
               PAPI_PUBLIC_RATE="off", PAPI_LOG_LEVEL="error")
    subprocess.run(["bin/papi", "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    if psql("SELECT count(*) FROM petitions") == "0":
        print("seeding %s communes (a few minutes)..." % COMMUNES, flush=True)
        subprocess.run(["bin/papi", "seed", "--synthetic", "--communes", COMMUNES], env=env, check=True)
    u = pick_units()
    logfile = pg_log()
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    env["PAPI_ADDR"] = "127.0.0.1:%d" % port
    rows = []
    for capturing in (True, False):
        # Capture with the statement log on for this database (new connections take it), then
        # measure with it off.
        setting = "0" if capturing else "DEFAULT"
        psql("ALTER DATABASE %s SET log_min_duration_statement = %s" % (DB, setting), ADMIN_URL)
        server = subprocess.Popen(["bin/papi", "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    if call(base, "GET", "/readyz")[0] == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            sessions = {who: Session(base, u[who]) for who in ("chair", "official", "admin", "writer")}
            background = frozenset(raw for _, _, raw, _ in capture(logfile, lambda: time.sleep(4.5))) if capturing else None
            table = requests(u)
            create = next(r for r in table if r[0] == CREATE)
            for i, (name, who, method, path, body) in enumerate(table):
                if names and name not in names:
                    continue
                session = sessions.get(who)
                if capturing:
                    moved = None
                    if name == TRANSITION:
                        # one petition to warm up with, one to capture
                        moved = fresh_petitions(base, sessions[create[1]], create[4], 2) + 1
                        call(base, method, path.replace("{id}", str(moved - 1)), session, body)
                    else:
                        call(base, method, path, session, body, {"Idempotency-Key": "perf-warm-%d" % time.time_ns()} if body else None)
                    key = "perf-capture-%d" % time.time_ns()
                    target = path.replace("{id}", str(moved))
                    stmts = capture(logfile, lambda: call(base, method, target, session, body, {"Idempotency-Key": key} if body else None), background)
                    unique = [key]
                    for _, sql, _, _ in stmts:
                        unique += re.findall(r"'([A-Za-z0-9]+-\d{4}-\d{4,})'", sql)
                    rows.append({"name": name, "stmts": stmts, "unique": unique, "args": (method, path, who, body), "petition": moved})
                elif name == TRANSITION:
                    row = next(r for r in rows if r["name"] == name)
                    pool = received_pool(u, create[4]["content"])
                    while len(pool) < POOL:
                        print("%d received petitions to move, %d wanted: creating more..." % (len(pool), POOL), flush=True)
                        wrk(base, "POST", create[3], sessions[create[1]], create[4])
                        pool = received_pool(u, create[4]["content"])
                    row["api"], row["bad"], row["p95"] = wrk(base, method, path, session, body, pool)
                    row["first"] = fresh_petitions(base, sessions[create[1]], create[4], CLIENTS)
                else:
                    row = next(r for r in rows if r["name"] == name)
                    row["api"], row["bad"], row["p95"] = wrk(base, method, path, session, body)
                    if method == "GET":
                        # Replayed at once, on the rows the API just read.
                        replay(row)
        finally:
            server.terminate()
            server.wait()
    for row in rows:
        if "sql" not in row:
            replay(row)
    load = open("/proc/loadavg").read().split()[:3]
    petitions = psql("SELECT count(*) FROM petitions")
    print("\n%s petitions, PostgreSQL %s, %d cores, %d clients for %d s, load average %s" % (
        petitions, psql("SHOW server_version"), os.cpu_count(), CLIENTS, SECONDS, " ".join(load)))
    print("\n| request | statements | planned each time | API req/s | API p95 | SQL tx/s | API ÷ SQL | main query alone, tx/s |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        n = sum(1 for _, s, _, _ in r["stmts"] if s.lower() not in ("begin", "commit"))
        each = [planned_each_time(raw, params) for _, _, raw, params in r["stmts"]] if r["args"][0] == "GET" else None
        planned = "—" if each is None else "%d%s" % (sum(1 for e in each if e), " (%d unknown)" % each.count(None) if None in each else "")
        ratio = "%.2f" % (r["api"] / r["sql"]) if isinstance(r["sql"], float) and r["sql"] > 0 else "—"
        sql = "%.0f" % r["sql"] if isinstance(r["sql"], float) else r["sql"]
        main = "%.0f" % r["main"] if isinstance(r["main"], float) else "—"
        bad = " (%d not 2xx)" % r["bad"] if r["bad"] else ""
        print("| %s | %d | %s | %.0f%s | %.0f ms | %s | %s | %s |" % (r["name"], n, planned, r["api"], bad, r["p95"], sql, ratio, main))
    if os.environ.get("PERF_SHOW_SQL"):
        for r in rows:
            print("\n-- %s" % r["name"])
            for ms, s, _, _ in r["stmts"]:
                print("-- %.3f ms\n%s;" % (ms, s))


if __name__ == "__main__":
    sys.exit(main())
