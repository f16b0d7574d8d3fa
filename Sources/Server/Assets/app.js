// MLPlayground browser code: the overview page's "Index now" button and the histogram plots.
// Vanilla ES2020, no libraries: the service runs on machines without internet access, so nothing may come from a CDN.
// Every page includes this file; each feature looks for its own elements and does nothing when they are absent.
'use strict';

(() => {
  const POLL_MS = 400;

  // ---------------------------------------------------------------------------------------------------------------
  // Shared helpers

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // The API answers errors as JSON {error, message}; fall back to the status line when the body is not JSON
  // (e.g. a proxy's HTML error page), so the user always sees something meaningful.
  async function errorMessage(response) {
    let text = '';
    try {
      text = await response.text();
      const body = JSON.parse(text);
      if (body && typeof body.message === 'string' && body.message) return body.message;
      if (body && typeof body.error === 'string' && body.error) return body.error;
    } catch (_) {
      // not JSON: use the status line below
    }
    const status = `HTTP ${response.status}${response.statusText ? ' ' + response.statusText : ''}`;
    return text && text.length < 200 && !text.trimStart().startsWith('<') ? `${status}: ${text.trim()}` : status;
  }

  function workspaceHeader() {
    const name = document.body && document.body.dataset.workspace;
    return name ? { Workspace: name } : {};
  }

  // The workspace picker: choosing one submits its form (a plain GET form, which also works without script).
  const picker = document.getElementById('workspace-picker');
  if (picker) picker.addEventListener('change', () => picker.form && picker.form.submit());

  async function getJSON(url, options = {}) {
    const response = await fetch(url, {
      credentials: 'same-origin',
      ...options,
      // The page's workspace (the picker's choice) scopes the API's reads as it scopes the page.
      headers: { Accept: 'application/json', ...workspaceHeader(), ...(options.headers || {}) },
    });
    if (!response.ok) throw new Error(await errorMessage(response));
    return response.json();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // a) "Index now": start an indexing job, then poll it until it ends.

  // Job results are free-form (a string, a number or a small object of counters); show them compactly.
  function formatResult(result) {
    if (result === null || result === undefined || result === '') return 'done';
    if (typeof result === 'string') return result;
    if (typeof result === 'object' && !Array.isArray(result)) {
      const parts = Object.entries(result).map(([k, v]) =>
        `${k.replace(/_/g, ' ')}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : v}`);
      if (parts.length) return parts.join(', ');
    }
    return JSON.stringify(result);
  }

  function initIndexButton() {
    const button = document.getElementById('index-now');
    if (!button) return;
    const progress = document.getElementById('index-progress');
    const status = document.getElementById('index-status');

    const setStatus = (text) => { if (status) status.textContent = text; };
    // Tests (and anything else) wait on this attribute rather than on the text.
    const setState = (state) => { document.body.dataset.indexState = state; };

    const showJob = (job) => {
      const done = (job.progress && Number(job.progress.done)) || 0;
      const total = (job.progress && Number(job.progress.total)) || 0;
      if (progress) {
        progress.hidden = false;
        if (total > 0) {
          progress.max = total;
          progress.value = Math.min(done, total);
        } else if (job.state === 'succeeded') {
          progress.max = 1;
          progress.value = 1;
        } else {
          // No total known yet: an indeterminate bar (no value attribute) animates instead of sitting at 0.
          progress.removeAttribute('value');
        }
      }
      if (job.state === 'succeeded') {
        setStatus(`job ${job.id}: succeeded — ${formatResult(job.result)}`);
      } else if (job.state === 'failed') {
        setStatus(`job ${job.id}: failed — ${job.error || 'unknown error'}`);
      } else if (total > 0) {
        setStatus(`job ${job.id}: ${job.state} ${done}/${total} files`);
      } else {
        setStatus(`job ${job.id}: ${job.state}`);
      }
      setState(job.state);
    };

    button.addEventListener('click', async () => {
      button.disabled = true;
      if (status) status.classList.remove('error'); // a previous attempt's error no longer applies
      setState('starting');
      setStatus('starting…');
      try {
        let job = await getJSON('/ui/index', {
          method: 'POST',
          headers: { 'X-CSRF-Token': button.dataset.csrf || '' },
        });
        showJob(job);
        // Polls slow down to one every 5 s, and a job no worker has taken after 30 s says so: `serve` runs no
        // workers, and the page would otherwise wait in silence, asking every 400 ms, for as long as it stays open.
        const pressed = Date.now();
        let delay = POLL_MS;
        while (job.state !== 'succeeded' && job.state !== 'failed') {
          await sleep(delay);
          delay = Math.min(5000, delay * 1.25);
          job = await getJSON(`/api/v1/jobs/${encodeURIComponent(job.id)}`);
          showJob(job);
          if (job.state === 'queued' && Date.now() - pressed > 30000) {
            setStatus(`job ${job.id}: queued — no worker has taken it yet (is one running for the ${job.queue} queue? ` +
                      '`mlplayground run` runs one; `serve` alone does not)');
          }
        }
      } catch (err) {
        setStatus(err && err.message ? err.message : String(err));
        if (status) status.classList.add('error');
        if (progress) progress.hidden = true;
        setState('error');
        button.disabled = false;
        return;
      }
      if (status) status.classList.toggle('error', document.body.dataset.indexState === 'failed');
      button.disabled = false;
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // b) Histogram plots on <canvas id="plot" data-src="/api/v1/th1/by-id/ID"> (or th2).

  const FONT = '12px system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif';
  const TITLE_FONT = 'bold 15px system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif';
  const SUB_FONT = '12px system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif';
  const BAR_FILL = '#4682b4'; // steel blue
  const BAR_EDGE = '#2f5f86';
  const AXIS = '#333';
  const GRID = '#e6e6e6';

  // "Nice" tick positions (steps of 1, 2 or 5 × 10^k) covering [lo, hi], about `target` of them.
  function niceTicks(lo, hi, target = 6) {
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { ticks: [], step: 1 };
    if (hi <= lo) hi = lo + (Math.abs(lo) || 1);
    const raw = (hi - lo) / target;
    const mag = 10 ** Math.floor(Math.log10(raw));
    const norm = raw / mag;
    const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
    const first = Math.ceil(lo / step - 1e-9);
    const last = Math.floor(hi / step + 1e-9);
    const ticks = [];
    // Multiply rather than accumulate so labels do not drift (0.30000000000000004).
    for (let i = first; i <= last && ticks.length < 50; i++) ticks.push(i * step);
    return { ticks, step };
  }

  // Label formatter for ticks spaced `step` apart: fixed decimals normally, exponent form for huge or tiny numbers.
  function tickFormatter(ticks, step) {
    const maxAbs = Math.max(...ticks.map(Math.abs), 0);
    const stepExp = Math.floor(Math.log10(step) + 1e-9);
    if (maxAbs >= 1e6 || (maxAbs > 0 && maxAbs < 1e-3)) {
      const digits = Math.max(0, Math.min(6, Math.floor(Math.log10(maxAbs)) - stepExp));
      return (v) => (Math.abs(v) < step * 1e-6 ? '0' : v.toExponential(digits));
    }
    const decimals = Math.max(0, Math.min(10, -stepExp));
    return (v) => (Math.abs(v) < step * 1e-6 ? '0' : v.toFixed(decimals));
  }

  function formatNumber(v) {
    if (v === null || v === undefined || !Number.isFinite(Number(v))) return String(v);
    const n = Number(v);
    if (Number.isInteger(n) && Math.abs(n) < 1e15) return n.toLocaleString('en-US');
    if (Math.abs(n) >= 1e6 || Math.abs(n) < 1e-3) return n.toExponential(3);
    return String(Number(n.toPrecision(6)));
  }

  // Shrink text with an ellipsis until it fits: long ME paths must not run off the canvas.
  function fitText(ctx, text, maxWidth) {
    if (ctx.measureText(text).width <= maxWidth) return text;
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ctx.measureText('…' + text.slice(text.length - mid)).width <= maxWidth) lo = mid; else hi = mid - 1;
    }
    // Keep the end of the path: the histogram's own name is the informative part.
    return '…' + text.slice(text.length - lo);
  }

  // Viridis as a degree-6 polynomial per channel (fit by Matt Zucker, CC0): perceptually uniform and readable
  // in grey scale, with no lookup table to ship. t in [0, 1] → [r, g, b] in 0..255.
  const VIRIDIS = [
    [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
    [0.1050930431085774, 1.404613529898575, 1.384590162594685],
    [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
    [-4.634230498983486, -5.799100973351585, -19.33244095627987],
    [6.228269936347081, 14.17993336680509, 56.69055260068105],
    [4.776384997670288, -13.74514537774601, -65.35303263337234],
    [-5.435455855934631, 4.645852612178535, 26.3124352495832],
  ];
  function viridis(t) {
    t = Math.min(1, Math.max(0, t));
    const out = [0, 0, 0];
    for (let c = 0; c < 3; c++) {
      let v = VIRIDIS[6][c];
      for (let k = 5; k >= 0; k--) v = v * t + VIRIDIS[k][c];
      out[c] = Math.round(Math.min(1, Math.max(0, v)) * 255);
    }
    return out;
  }

  // Prepare the canvas for drawing in CSS pixels, backed by devicePixelRatio device pixels for crisp text.
  function setupCanvas(canvas) {
    if (!canvas._cssSize) {
      const width = canvas.width;
      const height = canvas.height;
      canvas._cssSize = { width, height };
      const dpr = Math.max(1, Math.min(4, window.devicePixelRatio || 1));
      if (dpr !== 1) {
        if (!canvas.style.width) canvas.style.width = `${width}px`;
        canvas.width = Math.round(width * dpr);
        canvas.height = Math.round(height * dpr);
      }
      canvas._dpr = dpr;
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(canvas._dpr, 0, 0, canvas._dpr, 0, 0);
    ctx.clearRect(0, 0, canvas._cssSize.width, canvas._cssSize.height);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas._cssSize.width, canvas._cssSize.height);
    return { ctx, width: canvas._cssSize.width, height: canvas._cssSize.height };
  }

  function drawTitle(ctx, item, width, left) {
    ctx.fillStyle = '#111';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    ctx.font = TITLE_FONT;
    ctx.fillText(fitText(ctx, String(item.me ?? ''), width - left - 10), left, 20);
    ctx.font = SUB_FONT;
    ctx.fillStyle = '#555';
    let sub = `run ${item.run_number}, LS ${item.ls_number}, entries ${formatNumber(item.entries)}`;
    if (item.kind) sub += ` · ${item.kind}`;
    if (item._nonFinite) sub += ` · ${item._nonFinite} non-finite bin${item._nonFinite === 1 ? '' : 's'} not drawn`;
    ctx.fillText(fitText(ctx, sub, width - left - 10), left, 38);
  }

  // Axes with ticks, tick labels and light grid lines. box = {x, y, w, h} of the plot area.
  function drawXAxis(ctx, box, lo, hi) {
    const { ticks, step } = niceTicks(lo, hi, Math.max(3, Math.min(8, Math.floor(box.w / 110))));
    const fmt = tickFormatter(ticks, step);
    ctx.font = FONT;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of ticks) {
      const px = box.x + ((v - lo) / (hi - lo)) * box.w;
      ctx.strokeStyle = AXIS;
      ctx.beginPath();
      ctx.moveTo(Math.round(px) + 0.5, box.y + box.h);
      ctx.lineTo(Math.round(px) + 0.5, box.y + box.h + 5);
      ctx.stroke();
      ctx.fillStyle = AXIS;
      ctx.fillText(fmt(v), px, box.y + box.h + 8);
    }
  }

  function drawYAxis(ctx, box, lo, hi, grid) {
    const { ticks, step } = niceTicks(lo, hi, Math.max(3, Math.min(8, Math.floor(box.h / 60))));
    const fmt = tickFormatter(ticks, step);
    ctx.font = FONT;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of ticks) {
      const py = Math.round(box.y + box.h - ((v - lo) / (hi - lo)) * box.h) + 0.5;
      if (grid) {
        ctx.strokeStyle = GRID;
        ctx.beginPath();
        ctx.moveTo(box.x, py);
        ctx.lineTo(box.x + box.w, py);
        ctx.stroke();
      }
      ctx.strokeStyle = AXIS;
      ctx.beginPath();
      ctx.moveTo(box.x - 5, py);
      ctx.lineTo(box.x, py);
      ctx.stroke();
      ctx.fillStyle = AXIS;
      ctx.fillText(fmt(v), box.x - 8, py);
    }
  }

  function drawFrame(ctx, box) {
    ctx.strokeStyle = AXIS;
    ctx.lineWidth = 1;
    ctx.strokeRect(Math.round(box.x) + 0.5, Math.round(box.y) + 0.5, Math.round(box.w), Math.round(box.h));
  }

  function finiteRange(values) {
    let min = Infinity;
    let max = -Infinity;
    let nonFinite = 0;
    for (const v of values) {
      if (typeof v !== 'number' || !Number.isFinite(v)) { nonFinite++; continue; }
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return { min, max, nonFinite };
  }

  function validAxis(lo, hi, bins, name) {
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo)) {
      throw new Error(`bad ${name} axis: [${lo}, ${hi}]`);
    }
    if (!(bins > 0)) throw new Error(`histogram has no ${name} bins`);
  }

  // A histogram axis ('x' or 'y') of `bins` bins: its edges — the item's `x_edges`/`y_edges` when the bins vary in
  // width, else even steps from min to max — its bin labels, if any, and where values fall on it.
  function histogramAxis(item, name, bins) {
    const lo = Number(item[`${name}_min`]);
    const hi = Number(item[`${name}_max`]);
    validAxis(lo, hi, bins, name);
    const given = item[`${name}_edges`];
    const variable = Array.isArray(given) && given.length === bins + 1 && given.every((e) => Number.isFinite(e));
    const labels = item[`${name}_labels`];
    const edge = (i) => (variable ? given[i] : lo + ((hi - lo) * i) / bins);
    return {
      lo, hi, bins, variable,
      labels: Array.isArray(labels) && labels.length === bins ? labels.map(String) : null,
      edge,
      // Where value v lies between min (0) and max (1).
      fraction: (v) => (v - lo) / (hi - lo),
      // The bin holding value v (the last edge belongs to the last bin).
      binAt(v) {
        if (!variable) return Math.max(0, Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins)));
        let low = 0;
        let high = bins - 1;
        while (low < high) { // the last bin whose lower edge is <= v
          const middle = (low + high + 1) >> 1;
          if (given[middle] <= v) low = middle; else high = middle - 1;
        }
        return low;
      },
      // "bin 3 "Barrel" x ∈ [1, 2)" for hover read-outs.
      describe(i) {
        const label = this.labels ? ` "${this.labels[i]}"` : '';
        return `${label} ${name} ∈ [${formatNumber(edge(i))}, ${formatNumber(edge(i + 1))})`;
      },
    };
  }

  // Bin labels under (or, for y, beside) the plot instead of numeric ticks: as many as fit, evenly picked.
  function drawBinLabels(ctx, box, axis, horizontal) {
    const room = horizontal ? box.w : box.h;
    const every = Math.max(1, Math.ceil(axis.bins / Math.max(1, Math.floor(room / (horizontal ? 56 : 16)))));
    ctx.font = FONT;
    ctx.fillStyle = AXIS;
    ctx.textAlign = horizontal ? 'center' : 'right';
    ctx.textBaseline = horizontal ? 'top' : 'middle';
    for (let i = 0; i < axis.bins; i += every) {
      const centre = axis.fraction((axis.edge(i) + axis.edge(i + 1)) / 2);
      const text = fitText(ctx, axis.labels[i], horizontal ? (room * every) / axis.bins - 4 : box.x - 12);
      if (horizontal) ctx.fillText(text, box.x + centre * box.w, box.y + box.h + 8);
      else ctx.fillText(text, box.x - 8, box.y + box.h - centre * box.h);
    }
  }

  function draw1D(canvas, item) {
    const data = Array.isArray(item.data) ? item.data : [];
    const nx = data.length || Number(item.x_bin) || 0;
    const xAxis = histogramAxis(item, 'x', nx);

    const range = finiteRange(data);
    item._nonFinite = range.nonFinite;
    let lo = Number.isFinite(range.min) ? Math.min(0, range.min) : 0;
    let hi = Number.isFinite(range.max) ? Math.max(0, range.max) : 1;
    if (hi <= lo) hi = lo + 1; // all-zero histogram: still draw a sensible axis
    // 5% headroom so the tallest bar does not touch the frame (and below zero when there are negatives).
    const pad = (hi - lo) * 0.05;
    if (hi > 0) hi += pad;
    if (lo < 0) lo -= pad;

    const { ctx, width, height } = setupCanvas(canvas);
    const box = { x: 72, y: 52, w: width - 72 - 24, h: height - 52 - 36 };
    drawTitle(ctx, item, width, box.x);
    drawYAxis(ctx, box, lo, hi, true);

    const toY = (v) => box.y + box.h - ((v - lo) / (hi - lo)) * box.h;
    const y0 = toY(0);
    const toX = (v) => box.x + xAxis.fraction(v) * box.w;
    ctx.fillStyle = BAR_FILL;
    for (let i = 0; i < nx; i++) {
      const v = data[i];
      if (typeof v !== 'number' || !Number.isFinite(v) || v === 0) continue;
      const x0 = toX(xAxis.edge(i));
      const x1 = toX(xAxis.edge(i + 1));
      const yv = toY(v);
      // Snap to whole pixels when bins are wide so neighbouring bars do not blur into each other.
      const left = x1 - x0 >= 3 ? Math.round(x0) : x0;
      const right = x1 - x0 >= 3 ? Math.round(x1) : x1;
      // At least one pixel tall so tiny non-zero bins stay visible next to a huge peak.
      const top = Math.min(yv, y0);
      const h = Math.max(1, Math.abs(y0 - yv));
      ctx.fillRect(left, v > 0 ? y0 - h : top, right - left, h);
    }
    // Outline the bar tops when bins are wide enough for the outline to be seen, like a step histogram.
    if (box.w / nx >= 4) {
      ctx.strokeStyle = BAR_EDGE;
      ctx.beginPath();
      for (let i = 0; i < nx; i++) {
        const v = data[i];
        if (typeof v !== 'number' || !Number.isFinite(v) || v === 0) continue;
        const left = Math.round(toX(xAxis.edge(i))) + 0.5;
        const right = Math.round(toX(xAxis.edge(i + 1))) + 0.5;
        const yv = Math.round(toY(v)) + 0.5;
        ctx.moveTo(left, y0);
        ctx.lineTo(left, yv);
        ctx.lineTo(right, yv);
        ctx.lineTo(right, y0);
      }
      ctx.stroke();
    }
    if (lo < 0) {
      ctx.strokeStyle = AXIS;
      ctx.beginPath();
      ctx.moveTo(box.x, Math.round(y0) + 0.5);
      ctx.lineTo(box.x + box.w, Math.round(y0) + 0.5);
      ctx.stroke();
    }
    drawFrame(ctx, box);
    if (xAxis.labels) drawBinLabels(ctx, box, xAxis, true); else drawXAxis(ctx, box, xAxis.lo, xAxis.hi);

    // Hover read-out of the bin under the pointer: cheap, and the only way to read exact values.
    canvas._box = box;
    canvas._pick = (px, py) => {
      if (px < box.x || px > box.x + box.w || py < box.y || py > box.y + box.h) return '';
      const i = xAxis.binAt(xAxis.lo + ((px - box.x) / box.w) * (xAxis.hi - xAxis.lo));
      return `bin ${i + 1}:${xAxis.describe(i)} → ${formatNumber(data[i])}`;
    };
  }

  // Even bins: one pixel per bin in an offscreen image, scaled up without smoothing — fast even for 1000×1000 maps.
  function drawEvenBins(ctx, box, rows, nx, ny, colour) {
    const img = document.createElement('canvas');
    img.width = nx;
    img.height = ny;
    const ictx = img.getContext('2d');
    const pixels = ictx.createImageData(nx, ny);
    for (let j = 0; j < ny; j++) {
      const row = rows[j] || [];
      const py = ny - 1 - j; // row 0 is the lowest y, image rows go top-down
      for (let i = 0; i < nx; i++) {
        const v = row[i];
        const o = (py * nx + i) * 4;
        const rgb = colour(v);
        pixels.data[o] = rgb[0];
        pixels.data[o + 1] = rgb[1];
        pixels.data[o + 2] = rgb[2];
        pixels.data[o + 3] = 255;
      }
    }
    ictx.putImageData(pixels, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(img, box.x, box.y, box.w, box.h);
    ctx.imageSmoothingEnabled = true;
  }

  function draw2D(canvas, item) {
    const rows = Array.isArray(item.data) ? item.data : [];
    const ny = rows.length || Number(item.y_bin) || 0;
    const nx = (rows[0] && rows[0].length) || Number(item.x_bin) || 0;
    const xAxis = histogramAxis(item, 'x', nx);
    const yAxis = histogramAxis(item, 'y', ny);

    // Colour scale over the non-zero finite contents: zero means "empty" and is drawn white.
    let min = Infinity;
    let max = -Infinity;
    let nonFinite = 0;
    for (const row of rows) {
      for (const v of row || []) {
        if (typeof v !== 'number' || !Number.isFinite(v)) { nonFinite++; continue; }
        if (v === 0) continue;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    item._nonFinite = nonFinite;
    const empty = !(max >= min);
    if (empty) { min = 0; max = 1; }
    const span = max > min ? max - min : 0;
    const tOf = (v) => (span > 0 ? (v - min) / span : 1);

    const { ctx, width, height } = setupCanvas(canvas);
    const box = { x: 72, y: 52, w: width - 72 - 110, h: height - 52 - 36 };
    drawTitle(ctx, item, width, box.x);

    const colour = (v) => (typeof v === 'number' && Number.isFinite(v) && v !== 0 ? viridis(tOf(v)) : [255, 255, 255]);
    if (xAxis.variable || yAxis.variable) {
      // Bins of varying width: a rectangle each, from edge to edge (snapped outwards so no gaps show).
      for (let j = 0; j < ny; j++) {
        const top = Math.floor(box.y + box.h - yAxis.fraction(yAxis.edge(j + 1)) * box.h);
        const bottom = Math.ceil(box.y + box.h - yAxis.fraction(yAxis.edge(j)) * box.h);
        for (let i = 0; i < nx; i++) {
          const left = Math.floor(box.x + xAxis.fraction(xAxis.edge(i)) * box.w);
          const right = Math.ceil(box.x + xAxis.fraction(xAxis.edge(i + 1)) * box.w);
          const [r, g, b] = colour((rows[j] || [])[i]);
          ctx.fillStyle = `rgb(${r},${g},${b})`;
          ctx.fillRect(left, top, right - left, bottom - top);
        }
      }
    } else {
      drawEvenBins(ctx, box, rows, nx, ny, colour);
    }

    drawFrame(ctx, box);
    if (xAxis.labels) drawBinLabels(ctx, box, xAxis, true); else drawXAxis(ctx, box, xAxis.lo, xAxis.hi);
    if (yAxis.labels) drawBinLabels(ctx, box, yAxis, false); else drawYAxis(ctx, box, yAxis.lo, yAxis.hi, false);

    // Colour bar with its min at the bottom and max at the top, plus a few nice ticks in between.
    const bar = { x: box.x + box.w + 18, y: box.y, w: 16, h: box.h };
    const steps = Math.max(2, Math.round(bar.h));
    for (let k = 0; k < steps && !empty; k++) {
      const [r, g, b] = viridis((k + 0.5) / steps);
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(bar.x, bar.y + bar.h - ((k + 1) * bar.h) / steps, bar.w, bar.h / steps + 0.5);
    }
    if (empty) { // nothing to scale: a neutral bar rather than a colour that no bin has
      ctx.fillStyle = '#f0f0f0';
      ctx.fillRect(bar.x, bar.y, bar.w, bar.h);
    }
    drawFrame(ctx, bar);
    ctx.font = FONT;
    ctx.fillStyle = AXIS;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    const labelX = bar.x + bar.w + 5;
    if (empty) {
      ctx.fillText('empty', labelX, bar.y + bar.h / 2);
    } else {
      ctx.fillText(formatNumber(max), labelX, bar.y + 6);
      ctx.fillText(formatNumber(min), labelX, bar.y + bar.h - 6);
      if (span > 0) {
        const { ticks, step } = niceTicks(min, max, 4);
        const fmt = tickFormatter(ticks, step);
        for (const v of ticks) {
          const py = bar.y + bar.h - ((v - min) / span) * bar.h;
          if (py < bar.y + 20 || py > bar.y + bar.h - 20) continue; // would collide with the min/max labels
          ctx.strokeStyle = AXIS;
          ctx.beginPath();
          ctx.moveTo(bar.x + bar.w - 4, Math.round(py) + 0.5);
          ctx.lineTo(bar.x + bar.w, Math.round(py) + 0.5);
          ctx.stroke();
          ctx.fillText(fmt(v), labelX, py);
        }
      }
    }

    canvas._box = box;
    canvas._pick = (px, py) => {
      if (px < box.x || px > box.x + box.w || py < box.y || py > box.y + box.h) return '';
      const i = xAxis.binAt(xAxis.lo + ((px - box.x) / box.w) * (xAxis.hi - xAxis.lo));
      const j = yAxis.binAt(yAxis.lo + ((box.y + box.h - py) / box.h) * (yAxis.hi - yAxis.lo));
      const v = rows[j] ? rows[j][i] : undefined;
      return `bin (${i + 1}, ${j + 1}):${xAxis.describe(i)},${yAxis.describe(j)} → ${formatNumber(v)}`;
    };
  }

  function drawError(canvas, message) {
    const { ctx, width, height } = setupCanvas(canvas);
    ctx.strokeStyle = '#e0b4b4';
    ctx.strokeRect(0.5, 0.5, width - 1, height - 1);
    ctx.fillStyle = '#b00020';
    ctx.font = TITLE_FONT;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('Could not draw this histogram', width / 2, height / 2 - 12);
    ctx.font = SUB_FONT;
    ctx.fillText(fitText(ctx, message, width - 40), width / 2, height / 2 + 12);
  }

  async function renderPlot(canvas) {
    const src = canvas.dataset.src;
    if (!src) return;
    await rendering(canvas, async () => {
      const item = await getJSON(src);
      const is2D = item.y_bin !== undefined || (Array.isArray(item.data) && Array.isArray(item.data[0]));
      if (is2D) draw2D(canvas, item); else draw1D(canvas, item);
    });
  }

  // Runs `draw`, marking the canvas for tests: data-rendered 'loading', then 'true', or 'error' with the message
  // drawn and in data-render-error.
  async function rendering(canvas, draw) {
    canvas.dataset.rendered = 'loading';
    try {
      await draw();
      canvas.dataset.rendered = 'true';
    } catch (err) {
      const message = err && err.message ? err.message : String(err);
      canvas._pick = null;
      drawError(canvas, message);
      canvas.dataset.renderError = message;
      canvas.dataset.rendered = 'error';
    }
  }

  function initPlots() {
    const canvas = document.getElementById('plot');
    if (!canvas || typeof canvas.getContext !== 'function') return;
    trackPointer(canvas);
    renderPlot(canvas);
  }

  // Hovering reads out what is under the pointer (canvas._pick), into #plot-readout when the page has one,
  // otherwise into the canvas tooltip.
  function trackPointer(canvas) {
    const readout = document.getElementById('plot-readout');
    canvas.addEventListener('mousemove', (ev) => {
      if (!canvas._pick) return;
      const rect = canvas.getBoundingClientRect();
      const sx = canvas._cssSize ? canvas._cssSize.width / rect.width : 1;
      const sy = canvas._cssSize ? canvas._cssSize.height / rect.height : 1;
      const text = canvas._pick((ev.clientX - rect.left) * sx, (ev.clientY - rect.top) * sy);
      if (readout) readout.textContent = text; else canvas.title = text;
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // c) An ME over a run on <canvas id="run-plot" data-src="/api/v1/th1/?me_id=…&run_number=…"> (every page of it):
  //    1D as a heatmap of lumisection × bin under a line of each LS's entries; 2D as the sum over the run's LSs,
  //    with a slider (#ls-slider) through them.

  async function getAll(url) {
    const items = [];
    for (let next = url; next;) {
      const page = await getJSON(next);
      items.push(...page.results);
      next = page.next;
    }
    return items.sort((a, b) => a.ls_number - b.ls_number);
  }

  // Under columns of one LS each (in LS order, gaps closed): the LS numbers of as many columns as fit.
  function drawLSAxis(ctx, box, items) {
    const every = Math.max(1, Math.ceil(items.length / Math.max(1, Math.floor(box.w / 60))));
    ctx.font = FONT;
    ctx.fillStyle = AXIS;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let k = 0; k < items.length; k += every) {
      const px = box.x + ((k + 0.5) / items.length) * box.w;
      ctx.fillText(String(items[k].ls_number), px, box.y + box.h + 8);
    }
  }

  function drawOverRun1D(canvas, items) {
    const first = items[0];
    const nx = Number(first.x_bin) || (first.data || []).length;
    const xAxis = histogramAxis(first, 'x', nx);
    const rows = items.map((item) => item.data || []);
    const { ctx, width, height } = setupCanvas(canvas);
    const left = 72;
    drawTitle(ctx, { me: canvas.dataset.me, run_number: canvas.dataset.run, ls_number: `${items[0].ls_number}–${items[items.length - 1].ls_number}`,
                     entries: items.reduce((sum, item) => sum + (Number(item.entries) || 0), 0) }, width, left);
    const strip = { x: left, y: 52, w: width - left - 110, h: 90 };
    const box = { x: left, y: strip.y + strip.h + 14, w: strip.w, h: height - strip.y - strip.h - 14 - 40 };
    // Entries per LS as a line over the same LS axis (here horizontal, above the heatmap's rows turned upright).
    const entries = items.map((item) => Number(item.entries) || 0);
    const top = Math.max(...entries, 1);
    drawFrame(ctx, strip);
    drawYAxis(ctx, strip, 0, top, true);
    ctx.strokeStyle = BAR_EDGE;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    entries.forEach((value, k) => {
      const px = strip.x + ((k + 0.5) / entries.length) * strip.w;
      const py = strip.y + strip.h - (value / top) * strip.h;
      if (k === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
    });
    ctx.stroke();
    ctx.lineWidth = 1;
    ctx.font = FONT;
    ctx.fillStyle = '#555';
    ctx.textAlign = 'left';
    ctx.fillText('entries per LS', strip.x + 6, strip.y + 14);
    // The heatmap: one column per LS (left to right), bins upwards, so both plots share the LS axis.
    const { min, max } = finiteRange(rows.flat().filter((v) => v !== 0));
    const span = max > min ? max - min : 0;
    const colour = (v) => (typeof v === 'number' && Number.isFinite(v) && v !== 0 ? viridis(span > 0 ? (v - min) / span : 1) : [255, 255, 255]);
    const columns = [];
    for (let i = 0; i < nx; i++) columns.push(rows.map((row) => row[i]));
    drawEvenBins(ctx, box, columns, rows.length, nx, colour);
    drawFrame(ctx, box);
    drawLSAxis(ctx, box, items);
    if (xAxis.labels) drawBinLabels(ctx, box, xAxis, false); else drawYAxis(ctx, box, xAxis.lo, xAxis.hi, false);
    ctx.fillStyle = AXIS;
    ctx.textAlign = 'center';
    ctx.fillText('lumisection', box.x + box.w / 2, box.y + box.h + 28);
    canvas._pick = (px, py) => {
      if (px < box.x || px > box.x + box.w || py < box.y || py > box.y + box.h) return '';
      const k = Math.min(items.length - 1, Math.floor(((px - box.x) / box.w) * items.length));
      const i = xAxis.binAt(xAxis.lo + ((box.y + box.h - py) / box.h) * (xAxis.hi - xAxis.lo));
      return `LS ${items[k].ls_number}, bin ${i + 1}:${xAxis.describe(i)} → ${formatNumber(rows[k][i])} (entries ${formatNumber(entries[k])})`;
    };
  }

  function overRun2D(canvas, items) {
    const slider = document.getElementById('ls-slider');
    const chosen = document.getElementById('ls-chosen');
    const sum = items[0].data.map((row, j) => row.map((_, i) => items.reduce((total, item) => total + (Number(item.data[j][i]) || 0), 0)));
    const draw = (position) => {
      const item = position === 0
        ? { ...items[0], data: sum, ls_number: 'all', entries: items.reduce((total, it) => total + (Number(it.entries) || 0), 0) }
        : items[position - 1];
      draw2D(canvas, { ...item, me: canvas.dataset.me, run_number: canvas.dataset.run });
      if (chosen) chosen.textContent = position === 0 ? `sum over the run's ${items.length} lumisections` : `LS ${item.ls_number}`;
      canvas.dataset.shown = String(item.ls_number);
    };
    if (slider) {
      slider.max = String(items.length);
      slider.addEventListener('input', () => draw(Number(slider.value)));
    }
    draw(0);
  }

  async function initRunPlot() {
    const canvas = document.getElementById('run-plot');
    if (!canvas || typeof canvas.getContext !== 'function') return;
    trackPointer(canvas);
    await rendering(canvas, async () => {
      const items = await getAll(canvas.dataset.src);
      if (items.length === 0) throw new Error('no lumisections');
      if (canvas.dataset.dimension === '2') overRun2D(canvas, items); else drawOverRun1D(canvas, items);
      canvas.dataset.lumisections = String(items.length);
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // d) Thumbnails in a lumisection page's ME tree: <div data-thumbs-src="/api/v1/th1/?…"> holds <canvas class="thumb"
  //    data-id=ID>s; one request for the page's bins, then each drawn small (1D as a filled outline, 2D as a heatmap).

  function drawThumbnail(canvas, item, twoD) {
    const { ctx, width, height } = setupCanvas(canvas);
    const box = { x: 1, y: 1, w: width - 2, h: height - 2 };
    if (twoD) {
      const rows = item.data || [];
      const { min, max } = finiteRange(rows.flat().filter((v) => v !== 0));
      const span = max > min ? max - min : 0;
      drawEvenBins(ctx, box, rows, (rows[0] || []).length, rows.length,
                   (v) => (typeof v === 'number' && Number.isFinite(v) && v !== 0 ? viridis(span > 0 ? (v - min) / span : 1) : [255, 255, 255]));
    } else {
      const values = (item.data || []).map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0));
      const top = Math.max(...values, 0) || 1;
      ctx.fillStyle = BAR_FILL;
      ctx.beginPath();
      ctx.moveTo(box.x, box.y + box.h);
      values.forEach((v, i) => {
        const y = box.y + box.h - (Math.max(0, v) / top) * box.h;
        ctx.lineTo(box.x + (i / values.length) * box.w, y);
        ctx.lineTo(box.x + ((i + 1) / values.length) * box.w, y);
      });
      ctx.lineTo(box.x + box.w, box.y + box.h);
      ctx.fill();
    }
    ctx.strokeStyle = GRID;
    ctx.strokeRect(0.5, 0.5, width - 1, height - 1);
    canvas.dataset.rendered = 'true';
  }

  async function initThumbnails() {
    for (const holder of document.querySelectorAll('[data-thumbs-src]')) {
      const canvases = holder.querySelectorAll('canvas.thumb');
      if (canvases.length === 0) continue;
      try {
        const page = await getJSON(holder.dataset.thumbsSrc);
        const byID = new Map(page.results.map((item) => [String(item.id), item]));
        for (const canvas of canvases) {
          const item = byID.get(canvas.dataset.id);
          if (item) drawThumbnail(canvas, item, holder.dataset.dimension === '2');
        }
      } catch (err) {
        holder.dataset.thumbsError = err && err.message ? err.message : String(err);
      }
    }
  }

  function init() {
    initIndexButton();
    initPlots();
    initRunPlot();
    initThumbnails();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
