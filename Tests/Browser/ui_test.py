#!/usr/bin/env python3
"""End-to-end browser test of the MLPlayground web UI, in headless Chromium driven by Selenium.

Needs a running server with at least one indexable DQMIO file, Debian's `chromium` and `chromium-driver`, and the
Python packages from scripts/test-venv.sh (selenium, pillow):

  VENV=$(scripts/test-venv.sh | tail -1)
  $VENV/bin/python Tests/Browser/ui_test.py --base-url http://127.0.0.1:8123 --token TOKEN --screenshot-dir /tmp/shots

Steps, each printed as it passes; the first failure stops the run, saves failure.png and exits 1:
  1. '/' without a session: #index-now is absent or disabled, and a#sign-in is shown.
  2. '/login' with the token: redirected to '/', #index-now is enabled.
  3. Click #index-now: the job ends with body[data-index-state=succeeded] and #index-status says so.
  4. A TH1 page (/histograms/th1/ID, ID from /api/v1/th1?page_size=1): the canvas renders real bars (th1.png).
  5. A TH2 page: the canvas renders a real heatmap (th2.png).
  6. a#next-ls on a histogram page, when present, leads to a page whose plot renders too.
  7. A TH1 with variable bins: the read-out at a bin's centre names that bin (even steps would name another);
     a TH1 with bin labels: the read-out of its first bin carries the label.
  8. With --workspace NAME --workspace-prefix P (the server has a workspace file): the picker switches the pages
     to that workspace, whose lumisection page then lists only MEs starting with P and whose plots still render
     (workspace.png); switching back shows the others again.
The last line is `ui_test: N passed, M failed`.
"""
import argparse
import io
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from PIL import Image
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

PAGE_TIMEOUT = 30  # seconds for a page or a plot to appear


class Failure(Exception):
    """A check failed; the message says what was expected and what was seen."""


def check(condition, message):
    if not condition:
        raise Failure(message)


# --------------------------------------------------------------------------------------------------------------------
# Browser helpers

def make_driver(args):
    options = Options()
    options.binary_location = args.chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,900",
                 "--force-device-scale-factor=1", "--disable-gpu", "--no-first-run", "--disable-extensions"):
        options.add_argument(flag)
    # Console messages, so uncaught JavaScript errors fail the test instead of passing unnoticed.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path keeps Selenium Manager from trying to download a driver (the machines are offline).
    service = Service(executable_path=args.chromedriver)
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(PAGE_TIMEOUT)
    return driver


def find(driver, css):
    try:
        return driver.find_element(By.CSS_SELECTOR, css)
    except NoSuchElementException:
        return None


def path_of(url):
    return urllib.parse.urlparse(url).path or "/"


def js_errors(driver):
    """Uncaught exceptions and failed script loads from the console since the last call (the log is drained)."""
    try:
        entries = driver.get_log("browser")
    except WebDriverException:
        return []
    bad = []
    for e in entries:
        msg = e.get("message", "")
        if e.get("level") != "SEVERE" or "favicon.ico" in msg:
            continue
        if "Uncaught" in msg or "app.js" in msg or "app.css" in msg or e.get("source") == "javascript":
            bad.append(msg)
    return bad


def assert_no_js_errors(driver, where):
    errors = js_errors(driver)
    check(not errors, f"JavaScript errors on {where}:\n  " + "\n  ".join(errors))


def wait_rendered(driver, where, canvas_id="plot"):
    """Wait for app.js to finish the plot: canvas[data-rendered] becomes 'true' (or 'error')."""
    try:
        canvas = WebDriverWait(driver, PAGE_TIMEOUT).until(EC.presence_of_element_located((By.ID, canvas_id)))
    except TimeoutException:
        raise Failure(f"{where}: no <canvas id={canvas_id}> on the page (title {driver.title!r})")
    try:
        state = WebDriverWait(driver, PAGE_TIMEOUT, poll_frequency=0.1).until(
            lambda d: (canvas.get_attribute("data-rendered") in ("true", "error"))
            and canvas.get_attribute("data-rendered"))
    except TimeoutException:
        raise Failure(f"{where}: plot not rendered after {PAGE_TIMEOUT} s "
                      f"(data-rendered={canvas.get_attribute('data-rendered')!r}, "
                      f"data-src={canvas.get_attribute('data-src')!r})")
    check(state == "true", f"{where}: plot failed to render: {canvas.get_attribute('data-render-error')!r} "
                           f"(data-src={canvas.get_attribute('data-src')!r})")
    return canvas


# --------------------------------------------------------------------------------------------------------------------
# Image checks: did the canvas really draw something, or is it blank / a single colour?

def colourful(rgb, spread=40):
    return max(rgb) - min(rgb) > spread


def image_stats(png):
    img = Image.open(io.BytesIO(png)).convert("RGB")
    total = img.width * img.height
    colours = img.getcolors(maxcolors=total + 1)  # [(count, (r, g, b))]
    n_colourful = sum(count for count, rgb in colours if colourful(rgb))
    return img, total, colours, n_colourful


def check_th1_image(png, where):
    img, total, colours, n_colourful = image_stats(png)
    frac = n_colourful / total
    check(len(colours) > 1, f"{where}: the canvas screenshot is a single colour {colours[0][1]}")
    check(frac >= 0.02, f"{where}: only {frac:.2%} of the {img.width}x{img.height} pixels are bar-coloured "
                        f"(need >= 2%): no bars drawn?")
    return f"{img.width}x{img.height}, {len(colours)} colours, {frac:.1%} bar-coloured pixels"


def check_th2_image(png, where):
    img, total, colours, n_colourful = image_stats(png)
    frac = n_colourful / total
    check(len(colours) > 1, f"{where}: the canvas screenshot is a single colour {colours[0][1]}")
    check(frac >= 0.02, f"{where}: only {frac:.2%} of the {img.width}x{img.height} pixels are colour-scale "
                        f"coloured (need >= 2%): no heatmap drawn?")
    # Coarse colour buckets (8 levels a channel) of the colourful pixels, so the smooth colour scale collapses into a
    # few groups; a real heatmap has several with a visible share of the image.
    buckets = {}
    for count, (r, g, b) in colours:
        if colourful((r, g, b)):
            key = (r >> 5, g >> 5, b >> 5)
            buckets[key] = buckets.get(key, 0) + count
    significant = sorted((c for c in buckets.values() if c >= 0.001 * total), reverse=True)
    check(len(significant) >= 3, f"{where}: only {len(significant)} colour group(s) with >= 0.1% of the pixels "
                                 f"(need >= 3): the heatmap looks flat")
    return (f"{img.width}x{img.height}, {len(colours)} colours, {frac:.1%} colour-scale pixels, "
            f"{len(significant)} significant colour groups")


# --------------------------------------------------------------------------------------------------------------------
# API helper (plain urllib, outside the browser)

def api_get(args, path):
    url = args.base_url + path
    headers = {"Accept": "application/json"}
    for attempt in ("anonymous", "bearer"):
        req = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=PAGE_TIMEOUT) as resp:
                return json.load(resp)
        except urllib.error.HTTPError as e:
            body = e.read(500).decode("utf-8", "replace")
            # Read endpoints are expected to be public; retry once with the token in case they are not.
            if e.code in (401, 403) and attempt == "anonymous" and args.token:
                print(f"  note: GET {path} answered {e.code} without a token; retrying with it")
                headers["Authorization"] = f"Bearer {args.token}"
                continue
            raise Failure(f"GET {url} answered HTTP {e.code}: {body}")
        except (urllib.error.URLError, OSError) as e:
            raise Failure(f"GET {url} failed: {e}")
    raise Failure(f"GET {url}: not authorised even with the token")


def first_id(args, kind):
    body = api_get(args, f"/api/v1/{kind}?page_size=1")
    results = body.get("results") if isinstance(body, dict) else None
    check(isinstance(results, list), f"/api/v1/{kind}?page_size=1: no 'results' list in {str(body)[:300]}")
    check(results, f"/api/v1/{kind}?page_size=1: no {kind.upper()} histograms (did indexing ingest any file?)")
    check("id" in results[0], f"/api/v1/{kind}?page_size=1: results[0] has no 'id': {str(results[0])[:300]}")
    return results[0]["id"]


# --------------------------------------------------------------------------------------------------------------------
# Steps

def step_anonymous_overview(driver, args):
    driver.get(args.base_url + "/")
    WebDriverWait(driver, PAGE_TIMEOUT).until(lambda d: d.execute_script("return document.readyState") == "complete")
    button = find(driver, "#index-now")
    check(button is None or not button.is_enabled(),
          "'/' without a session: #index-now is present and enabled (must be absent or disabled)")
    sign_in = find(driver, "a#sign-in")
    check(sign_in is not None, "'/' without a session: no a#sign-in link")
    assert_no_js_errors(driver, "'/'")
    return (f"#index-now {'absent' if button is None else 'disabled'}, "
            f"a#sign-in -> {sign_in.get_attribute('href')}")


def step_login(driver, args):
    driver.get(args.base_url + "/login")
    form = find(driver, "form#login")
    check(form is not None, "/login: no form#login")
    field = find(driver, "form#login input[name=token]")
    check(field is not None, "/login: no input[name=token] in form#login")
    field.clear()
    field.send_keys(args.token)
    submit = find(driver, "form#login [type=submit]")
    check(submit is not None, "/login: no submit button in form#login")
    submit.click()
    try:
        # Stop waiting early when the login page comes back with an error message.
        WebDriverWait(driver, PAGE_TIMEOUT).until(
            lambda d: path_of(d.current_url) == "/" or find(d, ".error") is not None)
    except TimeoutException:
        pass
    if path_of(driver.current_url) != "/":
        error = find(driver, ".error")
        raise Failure(f"after login: at {driver.current_url}, expected a redirect to '/'"
                      + (f"; page says: {error.text!r}" if error is not None else ""))
    try:
        button = WebDriverWait(driver, PAGE_TIMEOUT).until(EC.presence_of_element_located((By.ID, "index-now")))
    except TimeoutException:
        raise Failure("after login: no #index-now on '/'")
    check(button.is_enabled(), "after login: #index-now is disabled")
    check(button.get_attribute("data-csrf"), "after login: #index-now has no data-csrf token")
    assert_no_js_errors(driver, "'/' after login")
    return "redirected to '/', #index-now enabled with a CSRF token"


def step_index_now(driver, args):
    button = driver.find_element(By.ID, "index-now")
    button.click()
    state_js = "return document.body.dataset.indexState || ''"
    try:
        state = WebDriverWait(driver, args.index_timeout, poll_frequency=0.25).until(
            lambda d: d.execute_script(state_js) in ("succeeded", "failed", "error") and d.execute_script(state_js))
    except TimeoutException:
        status = find(driver, "#index-status")
        raise Failure(f"index job not finished after {args.index_timeout} s; state "
                      f"{driver.execute_script(state_js)!r}, #index-status: {status.text if status else None!r}")
    status = driver.find_element(By.ID, "index-status").text
    check(state == "succeeded", f"index job ended with state {state!r}; #index-status: {status!r}")
    check("succeeded" in status, f"index job succeeded but #index-status does not say so: {status!r}")
    check(driver.find_element(By.ID, "index-now").is_enabled(), "#index-now not re-enabled after the job")
    assert_no_js_errors(driver, "'/' while indexing")
    return f"#index-status: {status!r}"


def open_plot(driver, args, kind, hist_id, shot_name):
    where = f"/histograms/{kind}/{hist_id}"
    driver.get(args.base_url + where)
    canvas = wait_rendered(driver, where)
    png = canvas.screenshot_as_png
    path = os.path.join(args.screenshot_dir, shot_name)
    with open(path, "wb") as f:
        f.write(png)
    stats = (check_th1_image if kind == "th1" else check_th2_image)(png, where)
    assert_no_js_errors(driver, where)
    return where, path, stats


def follow_next_ls(driver, args, kind, shot_name):
    """Step 6 for one histogram page: follow a#next-ls when the page has it."""
    link = find(driver, "a#next-ls")
    prev = find(driver, "a#prev-ls")
    if link is None:
        return f"{kind}: no a#next-ls (a#prev-ls {'present' if prev is not None else 'absent'}), nothing to follow"
    href = link.get_attribute("href")
    old_canvas = find(driver, "#plot")
    link.click()
    try:
        WebDriverWait(driver, PAGE_TIMEOUT).until(EC.staleness_of(old_canvas))
    except TimeoutException:
        raise Failure(f"{kind}: clicking a#next-ls ({href}) did not load a new page")
    where = path_of(driver.current_url)
    canvas = wait_rendered(driver, where)
    png = canvas.screenshot_as_png
    with open(os.path.join(args.screenshot_dir, shot_name), "wb") as f:
        f.write(png)
    stats = (check_th1_image if kind == "th1" else check_th2_image)(png, where)
    assert_no_js_errors(driver, where)
    return f"{kind}: a#next-ls -> {where} renders ({stats})"


def find_th1(args, accept, what):
    """The first loaded TH1 (paging through the API) that `accept` takes."""
    path = "/api/v1/th1?page_size=500"
    while path:
        body = api_get(args, path)
        for item in body.get("results") or []:
            if accept(item):
                return item
        following = body.get("next")
        path = urllib.parse.urlparse(following)._replace(scheme="", netloc="").geturl() if following else None
    raise Failure(f"no TH1 with {what} among the loaded histograms")


def read_out(driver, fraction):
    """The plot's hover read-out at `fraction` of the way across its frame, half-way up."""
    return driver.execute_script(
        "const c = document.getElementById('plot'); const b = c._box;"
        " return c._pick(b.x + b.w * arguments[0], b.y + b.h / 2);", fraction)


def step_bins_as_stored(driver, args):
    item = find_th1(args, lambda i: isinstance(i.get("x_edges"), list), "variable bins")
    edges, lo, hi = item["x_edges"], item["x_min"], item["x_max"]
    bins = len(edges) - 1
    centre = lambda k: ((edges[k] + edges[k + 1]) / 2 - lo) / (hi - lo)
    # A bin that even steps would misplace: its centre lies in another bin of an even split.
    k = next((k for k in range(bins) if int(centre(k) * bins) != k), None)
    check(k is not None, f"TH1 {item['id']}: its edges are even after all: {edges}")
    where = f"/histograms/th1/{item['id']}"
    driver.get(args.base_url + where)
    wait_rendered(driver, where)
    text = read_out(driver, centre(k))
    check(text.startswith(f"bin {k + 1}:"), f"{where}: the read-out at bin {k + 1}'s centre says {text!r}")
    assert_no_js_errors(driver, where)

    labelled = find_th1(args, lambda i: isinstance(i.get("x_labels"), list) and bool(i["x_labels"]), "bin labels")
    where_labelled = f"/histograms/th1/{labelled['id']}"
    driver.get(args.base_url + where_labelled)
    wait_rendered(driver, where_labelled)
    first = read_out(driver, 0.5 / len(labelled["x_labels"]))
    label = labelled["x_labels"][0]
    check(first.startswith(f'bin 1: "{label}"'), f"{where_labelled}: the first bin's read-out says {first!r}, not its label {label!r}")
    assert_no_js_errors(driver, where_labelled)
    return f"{where}: {text!r}; {where_labelled}: {first!r}"


def step_workspace(driver, args):
    """The top bar's picker: a lumisection page in the narrow workspace lists only its MEs, its plots render."""
    body = api_get(args, "/api/v1/lumisection/?page_size=500")
    lumi = next((l for l in body["results"] if l["th1_count"] + l["th2_count"] > 0), None)
    check(lumi is not None, "no lumisection with histograms")
    page = f"/runs/{lumi['run_number']}/ls/{lumi['ls_number']}"
    driver.get(args.base_url + page)
    picker = find(driver, "select#workspace-picker")
    check(picker is not None, f"{page}: no select#workspace-picker in the top bar")
    before = [a.get_attribute("data-me") for a in driver.find_elements(By.CSS_SELECTOR, "#th1-list a.me, #th2-list a.me")]
    check(any(not name.startswith(args.workspace_prefix) for name in before), f"{page}: the default workspace shows only {args.workspace_prefix} MEs")
    for option in picker.find_elements(By.TAG_NAME, "option"):
        if option.text == args.workspace:
            option.click()  # app.js submits the picker's form on change
            break
    else:
        raise Failure(f"{page}: the picker has no option {args.workspace!r}")
    WebDriverWait(driver, PAGE_TIMEOUT).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-workspace") == args.workspace)
    check(path_of(driver.current_url) == page, f"the picker led to {driver.current_url}, not back to {page}")
    after = [a.get_attribute("data-me") for a in driver.find_elements(By.CSS_SELECTOR, "#th1-list a.me, #th2-list a.me")]
    check(after and all(name.startswith(args.workspace_prefix) for name in after),
          f"{page} in {args.workspace}: lists {[n for n in after if not n.startswith(args.workspace_prefix)][:3]} (or nothing)")
    first = driver.find_element(By.CSS_SELECTOR, "#th1-list a.me, #th2-list a.me")
    first.click()
    wait_rendered(driver, driver.current_url)
    driver.save_screenshot(os.path.join(args.screenshot_dir, "workspace.png"))
    assert_no_js_errors(driver, driver.current_url)
    driver.get(args.base_url + f"/ui/workspace?name=all&next={urllib.parse.quote(page)}")
    again = [a.get_attribute("data-me") for a in driver.find_elements(By.CSS_SELECTOR, "#th1-list a.me, #th2-list a.me")]
    check(sorted(again) == sorted(before), f"{page}: back in 'all', {len(again)} MEs instead of {len(before)}")
    return f"{page}: {len(before)} MEs in 'all', {len(after)} in {args.workspace!r}, its plot rendered"


def open_over_run(driver, args, kind, hist_id, shot_name):
    """From a histogram page, a#over-run: the ME over every LS of its run, drawn, its LS count the API's."""
    driver.get(args.base_url + f"/histograms/{kind}/{hist_id}")
    digits = re.findall(r"\d\.\d{9,}", driver.find_element(By.TAG_NAME, "body").text)
    check(not digits, f"/histograms/{kind}/{hist_id} shows numbers to more digits than a person reads: {digits[:3]}")
    link = find(driver, "a#over-run")
    if link is None:
        raise Failure(f"/histograms/{kind}/{hist_id}: no a#over-run link")
    link.click()
    where = path_of(driver.current_url)
    canvas = wait_rendered(driver, where, "run-plot")
    item = api_get(args, f"/api/v1/{kind}/by-id/{hist_id}")
    listed = api_get(args, f"/api/v1/{kind}?me_id={item['me_id']}&run_number={item['run_number']}&dataset_id={item['dataset_id']}"
                           "&fields=id&page_size=500")
    check(listed["next"] is None, f"{where}: more than 500 lumisections; the test expects fixtures")
    count = len(listed["results"])
    check(canvas.get_attribute("data-lumisections") == str(count),
          f"{where}: drew {canvas.get_attribute('data-lumisections')} lumisections, the API has {count}")
    for fmt, magic in (("npz", b"PK"), ("csv", b"me,dataset")):
        href = find(driver, f"a#export-{fmt}").get_attribute("href")
        with urllib.request.urlopen(href, timeout=PAGE_TIMEOUT) as answer:
            check(answer.read(len(magic)) == magic, f"{where}: the {fmt} export link does not give a {fmt} file")
    png = canvas.screenshot_as_png
    with open(os.path.join(args.screenshot_dir, shot_name), "wb") as f:
        f.write(png)
    stats = check_th2_image(png, where)
    assert_no_js_errors(driver, where)
    return where, canvas, stats


def step_over_run(driver, args):
    """An ME over its run: 1D as a LS × bin heatmap, 2D as the run's sum with a slider through the LSs."""
    where1, _, stats1 = open_over_run(driver, args, "th1", first_id(args, "th1"), "th1-over-run.png")
    where2, canvas, stats2 = open_over_run(driver, args, "th2", first_id(args, "th2"), "th2-over-run.png")
    check(canvas.get_attribute("data-shown") == "all", f"{where2}: the first view is not the run's sum")
    driver.execute_script("const s = document.getElementById('ls-slider'); s.value = '1'; s.dispatchEvent(new Event('input'));")
    shown = canvas.get_attribute("data-shown")
    check(shown not in (None, "all"), f"{where2}: the slider did not show a lumisection")
    with open(os.path.join(args.screenshot_dir, "th2-over-run-ls.png"), "wb") as f:
        f.write(canvas.screenshot_as_png)
    return f"{where1} ({stats1}); {where2} ({stats2}), slider to LS {shown}"


def step_me_tree(driver, args):
    """A lumisection page's MEs as a folder tree (counts per folder), each with a drawn thumbnail."""
    body = api_get(args, "/api/v1/lumisection/?page_size=500")
    lumi = max(body["results"], key=lambda l: l["th1_count"] + l["th2_count"])
    page = f"/runs/{lumi['run_number']}/ls/{lumi['ls_number']}"
    driver.get(args.base_url + page)
    leaves = driver.find_elements(By.CSS_SELECTOR, "ul.tree a.me")
    check(len(leaves) == lumi["th1_count"] + lumi["th2_count"], f"{page}: {len(leaves)} MEs in the tree, the API counts {lumi['th1_count'] + lumi['th2_count']}")
    for folder in driver.find_elements(By.CSS_SELECTOR, "ul.tree li.folder"):
        count = int(folder.find_element(By.CSS_SELECTOR, "summary .count").text)
        inside = len(folder.find_elements(By.CSS_SELECTOR, "a.me"))
        check(count == inside, f"{page}: folder {folder.find_element(By.TAG_NAME, 'summary').text!r} counts {count}, holds {inside}")
    for leaf in leaves:
        name, shown = leaf.get_attribute("data-me"), leaf.text
        check(name.endswith("/" + shown) or name == shown, f"{page}: leaf {shown!r} is not the last part of {name!r}")
    try:
        WebDriverWait(driver, PAGE_TIMEOUT).until(
            lambda d: all(c.get_attribute("data-rendered") == "true" for c in d.find_elements(By.CSS_SELECTOR, "canvas.thumb")))
    except TimeoutException:
        drawn = sum(c.get_attribute("data-rendered") == "true" for c in driver.find_elements(By.CSS_SELECTOR, "canvas.thumb"))
        raise Failure(f"{page}: {drawn} of {len(leaves)} thumbnails drawn")
    folders = len(driver.find_elements(By.CSS_SELECTOR, "ul.tree li.folder"))
    check(folders > 0, f"{page}: no folders in the ME tree")
    driver.save_screenshot(os.path.join(args.screenshot_dir, "me-tree.png"))
    assert_no_js_errors(driver, page)
    return f"{page}: {len(leaves)} MEs in {folders} folders, every thumbnail drawn"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", required=True, help="server URL, e.g. http://127.0.0.1:8123")
    parser.add_argument("--token", required=True, help="an API/admin token accepted by /login")
    parser.add_argument("--screenshot-dir", required=True, help="where th1.png, th2.png (and failure.png) go")
    parser.add_argument("--index-timeout", type=float, default=120, help="seconds to wait for the index job")
    parser.add_argument("--workspace", help="a configured workspace for step 8 (skipped without it)")
    parser.add_argument("--workspace-prefix", help="the ME name prefix that workspace selects")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()
    args.base_url = args.base_url.rstrip("/")
    os.makedirs(args.screenshot_dir, exist_ok=True)

    passed = 0
    failed = 0
    driver = None
    state = {}

    def step4(d, a):
        state["th1"] = first_id(a, "th1")
        where, path, stats = open_plot(d, a, "th1", state["th1"], "th1.png")
        state["th1_next"] = follow_next_ls(d, a, "th1", "th1-next.png")  # step 6 needs this page: do it now
        return f"{where} rendered; {path}: {stats}"

    def step5(d, a):
        state["th2"] = first_id(a, "th2")
        where, path, stats = open_plot(d, a, "th2", state["th2"], "th2.png")
        state["th2_next"] = follow_next_ls(d, a, "th2", "th2-next.png")
        return f"{where} rendered; {path}: {stats}"

    def step6(d, a):
        return "; ".join((state["th1_next"], state["th2_next"]))

    steps = [
        ("1 overview without a session", step_anonymous_overview),
        ("2 login with the token", step_login),
        ("3 index now", step_index_now),
        ("4 TH1 plot", step4),
        ("5 TH2 plot", step5),
        ("6 next-LS links", step6),
        ("7 variable bins and bin labels", step_bins_as_stored),
    ]
    steps.append(("8 an ME over its run", step_over_run))
    steps.append(("9 a lumisection's ME tree", step_me_tree))
    if args.workspace:
        steps.append(("10 workspace picker", step_workspace))
    try:
        driver = make_driver(args)
    except WebDriverException as e:
        print(f"FAIL: could not start Chromium ({args.chromium}) via {args.chromedriver}: {e.msg or e}")
        print("ui_test: 0 passed, 1 failed")
        return 1
    try:
        for name, fn in steps:
            started = time.monotonic()
            try:
                detail = fn(driver, args)
            except Failure as e:
                failed += 1
                print(f"FAIL step {name}: {e}")
                break
            except WebDriverException as e:
                failed += 1
                print(f"FAIL step {name}: browser error: {(e.msg or str(e)).strip()}")
                break
            passed += 1
            print(f"ok   step {name} ({time.monotonic() - started:.1f} s): {detail}")
        if failed:
            shot = os.path.join(args.screenshot_dir, "failure.png")
            try:
                driver.save_screenshot(shot)
                print(f"     page at failure: {driver.current_url} (screenshot {shot})")
            except WebDriverException:
                pass
    finally:
        driver.quit()
    print(f"ui_test: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
