#!/usr/bin/env python3
"""The run report in a real browser: Debian's headless Chromium, driven over its DevTools protocol
(--remote-debugging-pipe), opens a code-runner report from file:// (api#0 is killed at 600 s). Checked:
no console error or uncaught exception, no request for anything but file: and data: URLs, the timeline
moves (at three positions each card's picture differs exactly where the page's data for it differs, and
the fault shows as a ring on api's cards), the play button advances the slider, and a click on a card
opens a plot of each of its declared signals with the fault window shaded.

Skips (exit 77) when chromium is absent. Stops the browser it started, by its process group id.

usage: test_browser.py ARCHLAB REPO
"""
import base64, json, os, select, shutil, signal, subprocess, sys, tempfile, time

archlab, repo = sys.argv[1], sys.argv[2]
SKIP = 77
TIMEOUT_S = 60  # for any one wait on the browser
failures = 0


def check(what, ok, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else f": {detail}"))
    failures += 0 if ok else 1


chromium = shutil.which("chromium")
if not chromium:
    print("SKIP: chromium is not installed (apt-get install --no-install-recommends chromium; scripts/install-deps.sh lists it)")
    sys.exit(SKIP)


class Browser:
    """Chromium with the DevTools protocol on a pipe: commands on fd 3, answers and events on fd 4, each a
    JSON text ended by a NUL byte."""

    def __init__(self, profile):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def pipes_on_3_and_4():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", "--no-default-browser-check", f"--user-data-dir={profile}", "--remote-debugging-pipe",
             "--window-size=1400,1800", "--hide-scrollbars", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=pipes_on_3_and_4, pass_fds=(3, 4),
            start_new_session=True)  # its helpers (renderer, GPU) share its process group, stopped together
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_browser], [], [], left)[0]:
                raise TimeoutError("the browser did not answer in time")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise EOFError("the browser closed its pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for(self, method):
        deadline = time.monotonic() + TIMEOUT_S
        for i, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(i)
        while True:
            event = self._read_message(deadline)
            if event.get("method") == method:
                return event
            self.events.append(event)

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def stop(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # whatever of its group is left
        except ProcessLookupError:
            pass
        self.process.wait()
        os.close(self.to_browser)
        os.close(self.from_browser)


def card_picture(browser, node_id):
    """A screenshot of one card (its node's background polygon), as PNG bytes."""
    box = browser.evaluate(f"""(() => {{
        const node = document.getElementById({json.dumps(node_id)});
        const r = node.querySelector('polygon').getBoundingClientRect();
        return {{x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height}}; }})()""")
    shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                    "clip": {**box, "scale": 1}})
    return base64.b64decode(shot["data"])


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "run")
    result = subprocess.run([archlab, "run", os.path.join(repo, "models", "code-runner.json"), "--scenario", "backend-failure",
                             "--out", out, "--report", "--quiet"], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        sys.exit(f"FAIL archlab run --report: {result.stderr}")
    url = "file://" + os.path.join(out, "report.html")
    profile = os.path.join(tmp, "profile")
    browser = Browser(profile)
    try:
        targets = browser.send("Target.getTargets", session=False)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        browser.session = browser.send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True}, session=False)["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            browser.send(domain + ".enable")
        browser.send("Page.navigate", {"url": url})
        browser.wait_for("Page.loadEventFired")
        data = browser.evaluate("JSON.parse(document.getElementById('report-data').textContent)")
        components = {c["id"]: c for c in data["components"]}
        times = data["times_s"]
        check("the page loaded its data and its diagram", browser.evaluate("document.querySelectorAll('g.node').length") >= len(components))

        # Three positions: before the kill, the interval it happens in, long after.
        positions = [300, 630, 3000]
        nodes = browser.evaluate("Array.from(document.querySelectorAll('g.node[id^=\"component:\"]')).map(n => n.id)")
        pictures, shown = {}, {}
        for t in positions:
            browser.evaluate(f"location.hash = 't={t}'; new Promise(r => setTimeout(r, 100))")
            index = next(i for i, end in enumerate(times) if end >= t)
            shown[t] = browser.evaluate("document.getElementById('slider').value")
            check(f"#t={t} selects the interval ending at {times[index]} s", shown[t] == str(index), shown[t])
            for node in nodes:
                pictures[(node, t)] = card_picture(browser, node)
        differing = 0
        for node in nodes:
            c = components[node[len("component:"):].split("@")[0]]
            for a, b in ((positions[0], positions[1]), (positions[1], positions[2])):
                ia, ib = (next(i for i, end in enumerate(times) if end >= t) for t in (a, b))
                state_differs = (c["colours"][ia], c["facts"][ia], c["flagged"][ia]) != (c["colours"][ib], c["facts"][ib], c["flagged"][ib])
                picture_differs = pictures[(node, a)] != pictures[(node, b)]
                differing += picture_differs
                check(f"{node} at {a} s and {b} s: the picture {'differs' if state_differs else 'is the same'} as its state does",
                      picture_differs == state_differs, f"state differs: {state_differs}, picture differs: {picture_differs}")
        check("the timeline moved some cards", differing > 0)
        rings = browser.evaluate("Array.from(document.querySelectorAll('.fault-ring')).filter(r => r.style.display !== 'none')"
                                 ".map(r => r.parentNode.id)")
        check("at 3000 s the fault ring is on api's two cards only (api#0 died at 600 s, never recovered: its window runs to the end)",
              all(r.startswith("component:api@") for r in rings) and len(rings) == 2, rings)
        check("the strip marks the fault", browser.evaluate("document.querySelectorAll('#strip rect[fill=\"#c62828\"]').length") >= 1)

        # Play: the slider advances by itself.
        browser.evaluate("location.hash = 't=0'; new Promise(r => setTimeout(r, 50))")
        before = int(browser.evaluate("document.getElementById('slider').value"))
        browser.evaluate("document.getElementById('play').click(); new Promise(r => setTimeout(r, 1200))")
        after = int(browser.evaluate("document.getElementById('slider').value"))
        browser.evaluate("document.getElementById('play').click()")
        check("play advances the timeline", after > before, f"{before} -> {after}")

        # A click on a card (a real mouse event at its place) opens its plots.
        check("no plots before a click", browser.evaluate("document.getElementById('plots').hidden") is True)
        node = next(n for n in nodes if n.startswith("component:api@"))
        box = browser.evaluate(f"""(() => {{ const n = document.getElementById({json.dumps(node)});
            n.scrollIntoView({{block: 'center'}}); const r = n.querySelector('polygon').getBoundingClientRect();
            return {{x: r.x + r.width / 2, y: r.y + 8}}; }})()""")
        for kind in ("mousePressed", "mouseReleased"):
            browser.send("Input.dispatchMouseEvent", {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1})
        browser.evaluate("new Promise(r => setTimeout(r, 100))")
        check("a click on api's card opens the plots", browser.evaluate("document.getElementById('plots').hidden") is False)
        check("the plots are api's", browser.evaluate("document.getElementById('plots-title').textContent").startswith("api "))
        plotted = browser.evaluate("Array.from(document.querySelectorAll('#plot-grid svg.signal-plot')).map(s => s.dataset.signal)")
        check("one plot per declared signal in the data", plotted == [s["name"] for s in components["api"]["signals"]], plotted)
        check("every plot draws its line", browser.evaluate(
            "Array.from(document.querySelectorAll('#plot-grid svg.signal-plot')).every(s => s.querySelector('polyline').getAttribute('points').split(' ').length > 10)"))
        check("the fault window is shaded in each plot", browser.evaluate(
            "Array.from(document.querySelectorAll('#plot-grid svg.signal-plot')).every(s => s.querySelector('rect.fault-window'))"))
        check("the click did not leave the page", browser.evaluate("location.href").startswith(url))

        # The events log filters by component and kind.
        count = browser.evaluate("""(() => { const kinds = document.getElementById('event-kind');
            kinds.value = String([...kinds.options].findIndex(o => o.textContent === 'fault') - 1);
            kinds.dispatchEvent(new Event('change'));
            return Array.from(document.querySelectorAll('#events tbody tr')).map(r => r.children[2].textContent); })()""")
        check("filtered to faults, only faults are listed", len(count) >= 1 and set(count) == {"fault"}, count)

        problems = [e for e in browser.events if
                    (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert")) or
                    e.get("method") == "Runtime.exceptionThrown" or
                    (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")]
        check("no console errors or uncaught exceptions", not problems, json.dumps(problems)[:600])
        fetched = [e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"]
        check("nothing fetched but the file itself and data: URLs", all(u.startswith(("file:", "data:")) for u in fetched), fetched[:5])
    finally:
        browser.stop()
    check("the browser stopped", browser.process.poll() is not None)

sys.exit(1 if failures else 0)
