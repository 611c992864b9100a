#!/usr/bin/env python3
"""Outage drill: PostgreSQL restarted, then stopped and started again, under petition writes.

Serves bin/papi on a fresh PostgreSQL database with the demo, lets a few secretaries' clients
create petitions (each with its own Idempotency-Key, retried with the same key until it is
acknowledged), restarts PostgreSQL, stops it for a while, starts it again, and then checks:

- every acknowledged petition is in the database, and no key made two petitions;
- no answer was a 500;
- 503s came only while the database was down (or within a grace period after it returned).

It needs root on a machine whose PostgreSQL cluster it may restart (pg_ctlcluster), psql, and a
built bin/papi. It prints the counts and exits 1 when a check fails; the server's log goes to
outage-drill.log. Usage:

    go build -o bin/papi ./cmd/papi && scripts/outage-drill.py
"""
import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

PG = os.environ.get("DRILL_PG", "postgres://postgres@127.0.0.1:5432")
CLUSTER = os.environ.get("DRILL_CLUSTER") or sorted(os.listdir("/etc/postgresql"))[0]
WORKERS = int(os.environ.get("DRILL_WORKERS", "4"))
GRACE = float(os.environ.get("DRILL_GRACE", "10"))  # seconds after the restart a 503 may still come


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg(*args):
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", CLUSTER, "main", *args], check=True)


def wait_pg():
    for _ in range(60):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0:
            return
        time.sleep(0.5)
    sys.exit("PostgreSQL did not come back")


class Client:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = ""

    def call(self, method, path, body=None, headers=None):
        req = urllib.request.Request(self.base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
        req.add_header("Content-Type", "application/json")
        if self.csrf:
            req.add_header("X-CSRF-Token", self.csrf)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with self.opener.open(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, None
        except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout):
            return 0, None


def main():
    db = "papi_drill_%d" % os.getpid()
    url = "%s/%s?sslmode=disable" % (PG, db)
    subprocess.run(["psql", PG + "/postgres", "-qc", "CREATE DATABASE " + db], check=True)
    env = dict(os.environ, PAPI_DATABASE_URL=url, PAPI_COOKIE_SECURE="false", PAPI_METRICS_ADDR="off",
               PAPI_PUBLIC_RATE="off", PAPI_LOG_LEVEL="warn")
    port = free_port()
    env["PAPI_ADDR"] = "127.0.0.1:%d" % port
    subprocess.run(["bin/papi", "seed", "--demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    log = open("outage-drill.log", "w")  # the server's own lines, one per refused request while down
    server = subprocess.Popen(["bin/papi", "serve"], env=env, stdout=log, stderr=log)
    try:
        return drill("http://127.0.0.1:%d" % port, url)
    finally:
        server.terminate()
        server.wait()
        log.close()
        wait_pg()
        subprocess.run(["psql", PG + "/postgres", "-qc", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % db])


def drill(base, url):
    for _ in range(100):
        if Client(base).call("GET", "/readyz")[0] == 200:
            break
        time.sleep(0.1)
    c = Client(base)
    status, me = c.call("POST", "/api/v1/auth/login", {"username": "secretary.tanthoi", "password": "demo-password"})
    if status != 200:
        sys.exit("sign-in answered %d" % status)
    c.csrf = me["csrf_token"]
    commune = me["unit"]["id"]
    _, units = c.call("GET", "/api/v1/units")
    units = units["items"] if isinstance(units, dict) else units
    hamlet = next(u["id"] for u in units if u.get("parent_id") == commune and u.get("level") == "hamlet")

    down = []  # [start, end] of each outage, in time.time()
    acked, answers, stop = {}, [], threading.Event()
    lock = threading.Lock()

    def worker(n):
        i = 0
        while not stop.is_set():
            i += 1
            key = "drill-%d-%d-%s" % (n, i, uuid.uuid4().hex[:8])
            body = {"commune_id": commune, "hamlet_id": hamlet, "channel": "reception", "kind": "kien_nghi",
                    "topic_code": "GT", "content": "Kiểm tra mất điện cơ sở dữ liệu, lượt %d của luồng %d." % (i, n)}
            while True:
                status, p = c.call("POST", "/api/v1/petitions", body, {"Idempotency-Key": key})
                with lock:
                    answers.append((time.time(), status))
                if status in (200, 201):
                    with lock:
                        acked[key] = p["id"]
                    break
                if status not in (0, 503):
                    with lock:
                        answers.append((time.time(), "unexpected %d" % status))
                    break
                time.sleep(0.3)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for t in threads:
        t.start()
    time.sleep(5)
    t0 = time.time()
    pg("restart")
    down.append((t0, time.time()))
    time.sleep(5)
    t0 = time.time()
    pg("stop")
    time.sleep(8)
    pg("start")
    wait_pg()
    down.append((t0, time.time()))
    time.sleep(GRACE + 5)
    stop.set()
    for t in threads:
        t.join()

    ids = ",".join(str(i) for i in acked.values()) or "0"
    out = subprocess.run(["psql", url.replace("?sslmode=disable", ""), "-Atc",
                          "SELECT COUNT(*) FROM petitions WHERE id IN (%s); "
                          "SELECT COUNT(*) FROM petitions WHERE content LIKE 'Kiểm tra mất điện%%'" % ids],
                         capture_output=True, text=True, check=True).stdout.split()
    stored, drill_rows = int(out[0]), int(out[1])

    def in_outage(t):
        return any(a <= t <= b + GRACE for a, b in down)

    count = lambda pred: sum(1 for t, s in answers if pred(t, s))
    fivehundreds = count(lambda t, s: s == 500)
    stray503 = count(lambda t, s: s == 503 and not in_outage(t))
    unexpected = count(lambda t, s: isinstance(s, str))
    print("answers %d: %d acknowledged, %d answered 503 (%d outside an outage), %d refused connections, "
          "%d answered 500, %d unexpected" % (len(answers), len(acked), count(lambda t, s: s == 503), stray503,
                                             count(lambda t, s: s == 0), fivehundreds, unexpected))
    print("acknowledged petitions stored: %d of %d; drill petitions in the database: %d" % (stored, len(acked), drill_rows))
    ok = stored == len(acked) == drill_rows and fivehundreds == 0 and stray503 == 0 and unexpected == 0
    print("drill passed" if ok else "drill FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
