// The mock's inspector page. Plain DOM, no library: nothing to download or keep up to date, and
// every stored string reaches the page as a text node, never parsed as markup.
// Each panel reads one control endpoint of /_sandbox/inspector (openapi/sandbox.yaml); the server
// tells it, by server-sent events, when a key changed.

const base = location.pathname.replace(/\/+$/, "");
const token = takeToken();
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const steps = [
  ["+1 minute", 60_000],
  ["+1 hour", 3_600_000],
  ["+1 day", 86_400_000],
  ["+1 week", 604_800_000],
];
/** @type {{ key: string | undefined, keys: Array<{ key: string, masked: string }> }} */
const state = { key: undefined, keys: [] };
/** What the reader opened and closed, kept across the reads that events cause. */
const opened = new Set();
const closed = new Set();

/** A <details> that stays as the reader left it when the panels are drawn again. */
function kept(details, id, openByDefault) {
  const set = openByDefault ? closed : opened;
  details.open = openByDefault !== set.has(id);
  details.addEventListener("toggle", () => {
    if (details.open === openByDefault) set.delete(id);
    else set.add(id);
  });
  return details;
}

/** The token from `?token=`, kept for the tab and taken out of the address bar. */
function takeToken() {
  const url = new URL(location.href);
  const given = url.searchParams.get("token");
  if (given !== null) {
    sessionStorage.setItem("inspector-token", given);
    url.searchParams.delete("token");
    history.replaceState(null, "", url);
  }
  return sessionStorage.getItem("inspector-token");
}

/** A control of the inspector: JSON both ways, state changes sent as JSON (the mock demands it). */
async function control(path, init = {}) {
  const headers = { "content-type": "application/json" };
  if (token) headers["x-inspector-token"] = token;
  const response = await fetch(`${base}/${path}`, { ...init, headers });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message ?? `${response.status} from ${path}`);
  return body;
}

/** An element with attributes and children; strings become text nodes. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) node.setAttribute(name, String(value));
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

/**
 * A value as its JSON type shows it: objects and arrays as their JSON source, null marked, and a
 * long or multi-line string (a message's content) as its source, whitespace kept.
 */
function valueNode(value, depth = 0) {
  if (value === null || value === undefined) return el("span", { class: "null" }, "null");
  if (value === "") return el("span", { class: "null" }, '""');
  // An object's fields one by one (a message inside an outbox entry shows its content as source).
  if (isPlainObject(value) && depth < 2 && Object.keys(value).length > 0) {
    return fieldList(value, [], depth + 1);
  }
  if (typeof value === "object") return el("pre", {}, JSON.stringify(value, null, 2));
  if (typeof value === "string" && (value.includes("\n") || value.length > 120)) {
    return el("pre", {}, value);
  }
  return el("span", { class: typeof value === "string" ? "" : "mono" }, String(value));
}

const isPlainObject = (value) =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A record's fields: the schema's first, in its order, then any it does not declare. */
function fieldList(record, fields, depth = 0) {
  const declared = fields.map((field) => field.name);
  const names = [...declared, ...Object.keys(record).filter((name) => !declared.includes(name))];
  const list = el("dl");
  for (const name of names) {
    if (!(name in record)) continue;
    const field = fields.find((candidate) => candidate.name === name);
    const title = field ? [field.types.join(" | "), field.description].filter(Boolean) : [];
    list.append(
      el("dt", { title: title.join(" — ") || undefined }, name),
      el("dd", {}, valueNode(record[name], depth)),
    );
  }
  return list;
}

/** The fields a summary line shows: the id, then the first few the schema types as text. */
function summaryFields(resource) {
  const plain = resource.fields.filter(
    (field) => field.name !== resource.idField && field.types.some((type) => type === "string"),
  );
  return [resource.idField, ...plain.slice(0, 3).map((field) => field.name)];
}

function entryNode(id, summaryParts, details) {
  const summary = el("summary");
  for (const part of summaryParts) summary.append(el("span", { class: "mono" }, part));
  return kept(el("details", { class: "entry" }, summary, details), id, false);
}

function panelNode(id, title, count, children) {
  const summary = el(
    "summary",
    {},
    el("h3", {}, title),
    " ",
    el("span", { class: "count" }, count),
  );
  const panel = kept(el("details", { class: "panel", id: `panel-${id}` }, summary), id, true);
  panel.append(...(children.length > 0 ? children : [el("p", { class: "none" }, "none")]));
  return panel;
}

/** Every resource of the sandbox model, as the server lists them: nothing here names one. */
function renderResources(resources) {
  return resources.map((resource) => {
    const shownOf =
      resource.records.length < resource.total ? ` (newest ${resource.records.length})` : "";
    const entries = resource.records.map((record) =>
      entryNode(
        `${resource.name}/${record[resource.idField]}`,
        summaryFields(resource).map((name) => String(record[name] ?? "")),
        fieldList(record, resource.fields),
      ),
    );
    return {
      id: `resource-${resource.name}`,
      title: resource.name,
      count: `${resource.total}${shownOf}`,
      nodes: entries,
    };
  });
}

/** A list of entries as one panel, newest first, each opened with every field it has. */
function entriesPanel(id, title, summaryOf) {
  return (entries) => [
    {
      id,
      title,
      count: String(entries.length),
      nodes: entries.map((entry, index) =>
        entryNode(
          `${id}/${entry.id ?? entry.seq ?? index}`,
          summaryOf(entry),
          fieldList(entry, []),
        ),
      ),
    },
  ];
}

/** The panels, each reading one endpoint for the chosen key. */
const panels = [
  {
    path: (key) => `keys/${key}/outbox`,
    // A message names its recipients; a step of a webhook delivery its event and status.
    render: entriesPanel("outbox", "outbox", (entry) =>
      [entry.at, entry.kind, entry.eventName, entry.to.join(", "), entry.status].filter(Boolean),
    ),
  },
  {
    path: (key) => `keys/${key}/journal`,
    render: entriesPanel("journal", "journal", (entry) => [
      entry.at,
      entry.method,
      entry.path,
      String(entry.status),
      entry.operationId ?? "no operation",
    ]),
  },
  {
    path: (key) => `keys/${key}/deliveries`,
    render: entriesPanel("deliveries", "webhook deliveries", (delivery) => [
      delivery.emittedAt,
      delivery.eventName,
      delivery.status,
      `${delivery.attempts.length} attempts`,
    ]),
  },
  { path: (key) => `keys/${key}/resources`, render: renderResources },
];

/** One panel's sections; a panel that cannot be read (no journal kept) says why in its place. */
async function readPanel(panel, key) {
  const path = panel.path(key);
  try {
    return panel.render(await control(path));
  } catch (error) {
    const id = path.split("/").at(-1);
    return [{ id, title: id, count: "", nodes: [el("p", { class: "none" }, error.message)] }];
  }
}

function showError(error) {
  const box = byId("error");
  box.hidden = error === undefined;
  box.textContent = error === undefined ? "" : String(error.message ?? error);
}

async function refreshPanels() {
  const key = state.key;
  if (key === undefined) return;
  const [sections, clock] = await Promise.all([
    Promise.all(panels.map((panel) => readPanel(panel, key))),
    control(`keys/${key}/clock`),
  ]);
  if (key !== state.key) return;
  const shown = sections.flat();
  byId("panels").replaceChildren(
    ...shown.map((part) => panelNode(part.id, part.title, part.count, part.nodes)),
  );
  byId("toc").replaceChildren(
    ...shown.map((part) =>
      el(
        "li",
        {},
        el(
          "a",
          { href: `#panel-${part.id}` },
          part.title,
          el("span", { class: "count" }, part.count),
        ),
      ),
    ),
  );
  const time = byId("clock");
  time.textContent = clock.now;
  time.setAttribute("datetime", clock.now);
}

function renderKeys() {
  byId("no-keys").hidden = state.keys.length > 0;
  byId("clock-panel").hidden = state.key === undefined;
  byId("keys").replaceChildren(
    ...state.keys.map(({ key, masked }) => {
      const button = el(
        "button",
        { type: "button", title: `handle ${key}`, "aria-current": key === state.key },
        masked,
      );
      button.addEventListener("click", () => choose(key));
      return el("li", {}, button);
    }),
  );
}

async function refreshKeys() {
  state.keys = await control("keys");
  if (state.key === undefined || !state.keys.some(({ key }) => key === state.key)) {
    const fromHash = new URLSearchParams(location.hash.slice(1)).get("key");
    state.key = state.keys.find(({ key }) => key === fromHash)?.key ?? state.keys[0]?.key;
  }
  renderKeys();
}

/** Runs `task` now, or once more after the run in progress: bursts of events read once. */
function coalesced(task) {
  let running;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return running;
    }
    running = task().then(
      () => showError(undefined),
      (error) => showError(error),
    );
    await running;
    running = undefined;
    if (again) {
      again = false;
      await run();
    }
  };
  return run;
}

const refresh = coalesced(async () => {
  await refreshKeys();
  await refreshPanels();
});

function choose(key) {
  state.key = key;
  history.replaceState(null, "", `#key=${encodeURIComponent(key)}`);
  renderKeys();
  refresh();
}

function setUpClock() {
  for (const [label, milliseconds] of steps) {
    const button = el("button", { type: "button" }, label);
    button.addEventListener("click", () =>
      act(`keys/${state.key}/advance-clock`, JSON.stringify({ milliseconds })),
    );
    byId("advance").append(button);
  }
  byId("reset").addEventListener("click", () => act(`keys/${state.key}/reset`));
}

async function act(path, body) {
  try {
    await control(path, { method: "POST", body });
  } catch (error) {
    showError(error);
  }
  refresh();
}

function listen() {
  const live = byId("live");
  const events = new EventSource(
    `${base}/events${token ? `?token=${encodeURIComponent(token)}` : ""}`,
  );
  events.addEventListener("open", () => {
    live.textContent = "live";
    live.classList.add("on");
    refresh();
  });
  events.addEventListener("error", () => {
    live.textContent = "reconnecting…";
    live.classList.remove("on");
  });
  events.addEventListener("change", (event) => {
    const { key } = JSON.parse(event.data);
    if (key === state.key || !state.keys.some((known) => known.key === key)) refresh();
  });
}

setUpClock();
listen();
