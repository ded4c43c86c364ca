// Walks one operation as a reader does: goes to it through the sidebar, scrolls to each lazily
// rendered schema, opens every collapsed one, clicks through every one-of variant (tabs, or a menu
// when nested), every status tab and every sample. Collects the field names seen in the
// operation's part of the page (`root`, a CSS selector), keyed by Redoc's section: "request",
// "response 201", "response 400"...
//
// Each walk runs inside the page, in one round trip: it waits on what each click must change
// rather than paying a protocol exchange per step. Every click first waits until its target is on
// screen and is what a pointer at its centre would hit, as a real click needs.
import type { Page } from "playwright-core";

type Command =
  | { kind: "open"; tag: string; summary: string }
  | { kind: "reveal"; chosen: string[]; exhaustedMenus: string[] }
  | { kind: "status"; code: string }
  | { kind: "samples"; labels: string[] };

interface Revealed {
  seen: Record<string, string[]>;
  chosen: string[];
  exhaustedMenus: string[];
}

export interface ShownSample {
  label: string;
  visible: boolean;
  source: string | undefined;
}

/** Runs in the page: everything a walk does, so that its helpers travel with it. */
async function inPage({ root, command }: { root: string; command: Command }): Promise<unknown> {
  // A page whose frames stopped (see rendersFrames) must not hang a wait: a timer stands in.
  const frame = () =>
    new Promise((done) => {
      const stalled = setTimeout(done, 100);
      requestAnimationFrame(() => {
        clearTimeout(stalled);
        setTimeout(done);
      });
    });
  /** Waits for `condition`, frame by frame; false when it is still unmet after `ms`. */
  const until = async (condition: () => boolean, ms = 10_000) => {
    const end = performance.now() + ms;
    // A click's render is usually done once the tasks it queued have run: no frame needed.
    if (!condition()) await new Promise((done) => setTimeout(done));
    while (!condition()) {
      if (performance.now() > end) return false;
      await frame();
    }
    return true;
  };
  const must = async (condition: () => boolean, what: () => string) => {
    if (!(await until(condition))) throw new Error(`Waited in vain for ${what()}.`);
  };
  /** Waits for a frame in which nothing on the page changed. */
  const quiet = async () => {
    let changes = 1;
    const observer = new MutationObserver((records) => {
      changes += records.length;
    });
    observer.observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
    for (let frames = 0; changes > 0 && frames < 100; frames++) {
      changes = 0;
      await frame();
    }
    observer.disconnect();
  };
  const visible = (selector: string, within: ParentNode) =>
    [...within.querySelectorAll<HTMLElement>(selector)].filter((element) =>
      element.checkVisibility(),
    );
  // What the reader reads: rendered text, as Playwright's innerText-based queries did.
  // biome-ignore lint/performance/useDomNodeTextContent: the label as shown, not hidden text.
  const label = (element: Element) => (element as HTMLElement).innerText.trim();
  const atCentre = (element: HTMLElement) => {
    const { left, top, width, height } = element.getBoundingClientRect();
    return document.elementFromPoint(left + width / 2, top + height / 2);
  };
  const onScreen = (element: HTMLElement) => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= innerHeight && box.left >= 0 && box.right <= innerWidth;
  };
  /**
   * Whether the element is on screen and what a pointer at its centre hits; if it is off screen,
   * scrolls `anchor` (the element itself, or the button of the menu it is in) to mid-screen first.
   */
  const uncovered = (element: HTMLElement, anchor = element) => {
    if (!onScreen(element)) anchor.scrollIntoView({ block: "center" });
    return element.contains(atCentre(element));
  };
  /** What a pointer at the element's centre hits instead, for an error to name. */
  const cover = (element: HTMLElement) => {
    const hit = atCentre(element);
    return hit ? `<${hit.tagName.toLowerCase()}> "${label(hit).slice(0, 60)}"` : "nothing";
  };
  /**
   * A reader's click, repeated until it does what it is for (`done`): one that lands while Redoc
   * is still setting up what it just rendered can do nothing, and a reader clicks again. A click
   * the page leaves unhandled must not navigate away from it either. False when Redoc replaced the
   * target before it was done: the caller looks at the page again.
   */
  const press = async (
    element: HTMLElement,
    done: () => boolean,
    what: string,
    anchor = element,
  ) => {
    const keepPage = (event: Event) => event.preventDefault();
    const name = label(element);
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt > 0) {
        await quiet();
        if (done()) return true;
      }
      // A click that took effect late can remove its own target: a picked item closes its menu.
      await must(
        () => !element.isConnected || uncovered(element, anchor),
        () => `"${name}" to be on screen and uncovered (under ${cover(element)})`,
      );
      if (!element.isConnected) {
        await quiet();
        return done();
      }
      addEventListener("click", keepPage, { once: true });
      element.click();
      removeEventListener("click", keepPage);
      if (await until(done, 2_000)) return true;
    }
    throw new Error(`Clicked "${name}" three times, in vain, for ${what}.`);
  };
  /** A press whose target nothing re-renders: one replaced is a failure of the page. */
  const pressStill = async (...[element, done, what, anchor]: Parameters<typeof press>) => {
    if (!(await press(element, done, what, anchor)))
      throw new Error(`"${label(element)}" left the page before ${what}.`);
  };
  const replaced = Symbol("replaced");
  const menuItems = () => visible('[data-testid="dropdown-menu"] [role="menuitem"]', document);
  /**
   * Opens a variant or sample menu and picks the item `pick` names, or none; `replaced` when Redoc
   * re-rendered the button before it opened.
   */
  const choose = async (button: HTMLElement, pick: (labels: string[]) => string | undefined) => {
    const what = `the menu of "${label(button)}"`;
    if (!(await press(button, () => menuItems().length > 0, `${what} to open`))) return replaced;
    const items = menuItems();
    const wanted = pick(items.map(label));
    const item = items.find((element) => label(element) === wanted);
    // A picked item closes its menu: its leaving the page is the press done. The menu is fixed
    // beside its button and follows it: when the page has scrolled since it opened, the
    // button is brought back to mid-screen, and the item with it, as a reader scrolls back to it.
    await pressStill(item ?? button, () => menuItems().length === 0, `${what} to close`, button);
    return wanted;
  };
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  if (command.kind === "open") {
    const sidebar = document.querySelector(".menu-content");
    if (!sidebar) throw new Error("The page has no sidebar.");
    // The sidebar entry reads "<summary> <method>"; the summary alone may start another one's.
    const entry = new RegExp(`^${escaped(command.summary)}\\s*(get|post|put|patch|delete)$`, "i");
    const link = () => visible("a", sidebar).find((element) => entry.test(label(element)));
    if (!link()) {
      const tag = visible("a", sidebar).find((element) => label(element) === command.tag);
      if (!tag) throw new Error(`No sidebar entry ${command.tag}`);
      await pressStill(tag, () => link() !== undefined, `the operations of ${command.tag} to show`);
    }
    // The heading may also hold its anchor's label: it ends with the summary, and for a
    // deprecated operation with Redoc's "Deprecated" badge after it, for a webhook its "Webhook" one.
    const title = new RegExp(`(^|\\s)${escaped(command.summary)}(\\s*([Dd]eprecated|Webhook))?$`);
    await pressStill(
      link() as HTMLElement,
      () => visible("h1, h2", document).some((heading) => title.test(label(heading))),
      `the heading of ${command.summary}`,
    );
    return null;
  }

  const scope = document.querySelector(root);
  if (!scope) throw new Error(`Nothing on the page matches ${root}`);

  if (command.kind === "status") {
    const tab = visible('[id$="/responses"] [role="tab"]', scope).find(
      (element) => label(element) === command.code,
    );
    if (!tab) throw new Error(`No status tab ${command.code}`);
    await pressStill(
      tab,
      () => scope.querySelector(`[id*="/response&c=${command.code}/"]`) !== null,
      `the fields of status ${command.code}`,
    );
    return null;
  }

  if (command.kind === "samples") {
    const shown: ShownSample[] = [];
    for (const wanted of command.labels) {
      for (let attempt = 0; ; attempt++) {
        // The menu's button reads the sample showing, or "Payload" before a sample is picked.
        const button = visible('button[aria-haspopup="menu"]', scope).find((element) =>
          [...command.labels, "Payload"].includes(label(element)),
        );
        if (!button) throw new Error("No samples menu");
        const picked = await choose(button, (labels) => labels.find((name) => name === wanted));
        if (picked !== replaced) break;
        if (attempt === 2) throw new Error("The samples menu kept being replaced.");
      }
      // The code block fills in after the menu closes.
      await quiet();
      const code = scope.querySelector<HTMLElement>('[data-testid="source-code"]');
      shown.push({
        label: wanted,
        visible: code?.checkVisibility() ?? false,
        source: code?.textContent ?? undefined,
      });
    }
    return shown;
  }

  const { chosen, exhaustedMenus } = command;
  const seen: Record<string, string[]> = {};
  const collect = () => {
    for (const name of scope.querySelectorAll(".schema-name")) {
      if (!name.checkVisibility()) continue;
      const id = name.closest('[id*="t="]')?.id ?? "";
      const section = id.includes("t=request")
        ? "request"
        : `response ${/t=response&c=(\d+)/.exec(id)?.[1]}`;
      seen[section] = [...(seen[section] ?? []), name.textContent?.trim() ?? ""];
    }
  };
  // Redoc renders long schemas, and the inside of a nested one just opened, when they scroll into
  // view: until then they are empty placeholders.
  const placeholders =
    '[aria-hidden="true"][style*="min-height"], [data-schema-nested-open="true"] [aria-hidden="true"]:empty';
  const unrendered = new Set<Element>();
  for (let step = 0; step < 500; step++) {
    collect();
    const placeholder = visible(placeholders, scope).find((element) => !unrendered.has(element));
    if (placeholder) {
      const onScreen = () => {
        const { top, bottom } = placeholder.getBoundingClientRect();
        return bottom >= 0 && top <= innerHeight;
      };
      const rendered = () => !placeholder.isConnected || !placeholder.matches(placeholders);
      placeholder.scrollIntoView({ block: "center" });
      // One that no scrolling brings on screen, or that never renders, is left for the field
      // comparison to report. The page may shift it away while what is above it renders: it is
      // scrolled back each frame.
      if (
        !onScreen() ||
        !(await until(() => {
          if (rendered()) return true;
          if (!onScreen()) placeholder.scrollIntoView({ block: "center" });
          return false;
        }))
      )
        unrendered.add(placeholder);
      // What it rendered sets itself up after the render: a click before that can be lost.
      await quiet();
      continue;
    }
    const collapsed = visible('[data-schema-nested-open="false"] > button', scope);
    for (const button of collapsed) {
      await press(
        button,
        () => !button.isConnected || button.parentElement?.dataset.schemaNestedOpen === "true",
        "a collapsed schema to open",
      );
    }
    if (collapsed.length > 0) continue;
    // The last tab first: a nested switch comes after its parent's, and is seen before that one moves.
    const tab = visible('[data-section-id="switcher"] [role="tab"]', scope)
      .map((element) => ({
        element,
        key: `${element.parentElement?.closest('[id*="t="]')?.id}>${element.title}`,
      }))
      .findLast(({ key }) => !chosen.includes(key));
    if (tab) {
      chosen.push(tab.key);
      await press(
        tab.element,
        () => !tab.element.isConnected || tab.element.getAttribute("aria-selected") === "true",
        `the variant ${tab.element.title}`,
      );
      continue;
    }
    // Nested one-ofs switch through a menu. A field can hold nested switches (a one-of inside a
    // one-of): its id and the switch's place among the field's visible ones tell them apart.
    const seenPerField = new Map<string, number>();
    const menus = visible('[data-section-id="switcher"] button[aria-haspopup="menu"]', scope).map(
      (button) => {
        const field = button.parentElement?.closest('[id*="t="]')?.id ?? "";
        const place = seenPerField.get(field) ?? 0;
        seenPerField.set(field, place + 1);
        return { button, item: `${field}#${place}` };
      },
    );
    // The last menu first: a nested one comes after its parent's, and is explored before that one moves.
    let switched = false;
    for (const { button, item } of menus.reverse()) {
      if (exhaustedMenus.includes(item)) continue;
      const picked = await choose(button, (labels) =>
        labels.find((name) => !chosen.includes(`${item}>${name}`)),
      );
      // Redoc re-rendered the switches under it: the next step looks at the page again.
      if (picked === replaced) {
        switched = true;
        break;
      }
      if (picked === undefined) {
        exhaustedMenus.push(item);
        continue;
      }
      chosen.push(`${item}>${picked}`);
      switched = true;
      break;
    }
    if (!switched) return { seen, chosen, exhaustedMenus } satisfies Revealed;
  }
  throw new Error("The page kept changing after 500 steps.");
}

function run(page: Page, root: string, command: Command): Promise<unknown> {
  return page.evaluate(inPage, { root, command });
}

/** Whether the page still gets animation frames: one within `ms`. */
export function rendersFrames(page: Page, ms = 2_000): Promise<boolean> {
  return page.evaluate(
    (ms) =>
      new Promise<boolean>((done) => {
        requestAnimationFrame(() => done(true));
        setTimeout(() => done(false), ms);
      }),
    ms,
  );
}

/**
 * Reloads the page as a reader first opened it: without the operation's address, to which Redoc
 * would scroll on its own while the walk scrolls too.
 */
async function reloadAsNew(page: Page): Promise<void> {
  await page.evaluate(() => history.replaceState(null, "", location.pathname + location.search));
  await page.reload();
}

/**
 * Headless Chromium under load has been seen to stop giving the page animation frames for good,
 * while its timers run on: nothing scrolls or paints after that. A reload gives the document new
 * frames; this reloads the page only if it needs them.
 */
export async function keepRendering(page: Page): Promise<void> {
  if (!(await rendersFrames(page))) await reloadAsNew(page);
}

/**
 * Goes to the operation through the sidebar: its tag first when needed, then the operation, on
 * a page that renders.
 */
export async function goThroughSidebar(
  page: Page,
  root: string,
  { tag, summary }: { tag: string; summary: string },
): Promise<void> {
  await keepRendering(page);
  await run(page, root, { kind: "open", tag, summary });
}

/**
 * Returns a function that walks whatever the page shows now and gives every field name seen so
 * far. It remembers the variants already chosen, so a later call explores only what is new.
 */
export function fieldRevealer(page: Page, root: string): () => Promise<Map<string, Set<string>>> {
  const fields = new Map<string, Set<string>>();
  let chosen: string[] = [];
  let exhaustedMenus: string[] = [];
  return async () => {
    const revealed = (await run(page, root, {
      kind: "reveal",
      chosen,
      exhaustedMenus,
    })) as Revealed;
    ({ chosen, exhaustedMenus } = revealed);
    for (const [section, names] of Object.entries(revealed.seen)) {
      fields.set(section, new Set([...(fields.get(section) ?? []), ...names]));
    }
    return fields;
  };
}

/** Clicks the status tab `code` of the responses and waits for its fields. */
export async function showStatus(page: Page, root: string, code: string): Promise<void> {
  await run(page, root, { kind: "status", code });
}

/** Picks each sample by its label in the samples menu, and reads the code shown for it. */
export async function showSamples(
  page: Page,
  root: string,
  labels: string[],
): Promise<ShownSample[]> {
  return (await run(page, root, { kind: "samples", labels })) as ShownSample[];
}
