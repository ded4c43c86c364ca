// Walks one operation as a reader does: scrolls to each lazily rendered schema, opens every collapsed
// one and clicks through every one-of variant (tabs, or a menu when nested). Collects the field
// names seen in the operation's part of the page (`root`, a CSS selector), keyed by Redoc's
// section: "request", "response 201", "response 400"...
import type { Page } from "playwright-core";

type StepResult = { seen: Record<string, string[]>; acted: boolean; chosenTab?: string };

/** One step, in the page: collect what is visible, then do the first thing left to do. */
function revealStep({ chosen, root }: { chosen: string[]; root: string }): Promise<StepResult> {
  const scope = document.querySelector(root);
  if (!scope) throw new Error(`Nothing on the page matches ${root}`);
  const seen: Record<string, string[]> = {};
  for (const name of scope.querySelectorAll(".schema-name")) {
    if (!name.checkVisibility()) continue;
    const id = name.closest('[id*="t="]')?.id ?? "";
    const section = id.includes("t=request")
      ? "request"
      : `response ${/t=response&c=(\d+)/.exec(id)?.[1]}`;
    seen[section] = [...(seen[section] ?? []), name.textContent?.trim() ?? ""];
  }
  const visible = (selector: string) =>
    [...scope.querySelectorAll<HTMLElement>(selector)].filter((element) =>
      element.checkVisibility(),
    );
  const settled = (result: StepResult, ms = 0) =>
    new Promise<StepResult>((done) => requestAnimationFrame(() => setTimeout(done, ms, result)));

  // Redoc renders long schemas, and the inside of a nested one just opened, when they scroll into
  // view: until then they are empty placeholders. One still there after a visit is visited again
  // (a loaded machine renders late), up to 40 times 50 ms.
  const placeholder = visible(
    '[aria-hidden="true"][style*="min-height"], [data-schema-nested-open="true"] [aria-hidden="true"]:empty',
  ).find((element) => Number(element.dataset.visits ?? 0) < 40);
  if (placeholder) {
    placeholder.dataset.visits = String(Number(placeholder.dataset.visits ?? 0) + 1);
    placeholder.scrollIntoView({ block: "center" });
    return settled({ seen, acted: true }, 50);
  }
  const collapsed = visible('[data-schema-nested-open="false"] > button');
  for (const button of collapsed) button.click();
  if (collapsed.length > 0) return settled({ seen, acted: true });
  // The last tab first: a nested switch comes after its parent's, and is seen before that one moves.
  const tab = visible('[data-section-id="switcher"] [role="tab"]')
    .map((element) => ({
      element,
      key: `${element.parentElement?.closest('[id*="t="]')?.id}>${element.title}`,
    }))
    .findLast(({ key }) => !chosen.includes(key));
  if (!tab) return settled({ seen, acted: false });
  tab.element.click();
  return settled({ seen, acted: true, chosenTab: tab.key });
}

/**
 * Returns a function that walks whatever the page shows now and gives every field name seen so
 * far. It remembers the variants already chosen, so a later call explores only what is new.
 */
export function fieldRevealer(page: Page, root: string): () => Promise<Map<string, Set<string>>> {
  const fields = new Map<string, Set<string>>();
  const chosen: string[] = [];
  const exhaustedMenus = new Set<string>();
  return async () => {
    for (let step = 0; step < 500; step++) {
      const { seen, acted, chosenTab } = await page.evaluate(revealStep, { chosen, root });
      for (const [section, names] of Object.entries(seen)) {
        fields.set(section, new Set([...(fields.get(section) ?? []), ...names]));
      }
      if (chosenTab) chosen.push(chosenTab);
      if (acted) continue;
      if (!(await chooseNextMenuVariant(page, root, chosen, exhaustedMenus))) return fields;
    }
    throw new Error("The page kept changing after 500 steps.");
  };
}

/** Nested one-ofs switch through a menu, which opens on real pointer input only. */
async function chooseNextMenuVariant(
  page: Page,
  root: string,
  chosen: string[],
  exhaustedMenus: Set<string>,
): Promise<boolean> {
  const switchers = page
    .locator(root)
    .locator('[data-section-id="switcher"] button[aria-haspopup="menu"]');
  // A field can hold nested switches (a one-of inside a one-of): its id and the switch's place
  // among the field's visible ones tell them apart.
  const visibleSwitchers = await switchers.filter({ visible: true }).all();
  const seenPerField = new Map<string, number>();
  const keyed = [];
  for (const switcher of visibleSwitchers) {
    const field = await switcher.evaluate(
      (button) => button.parentElement?.closest('[id*="t="]')?.id ?? "",
    );
    const place = seenPerField.get(field) ?? 0;
    seenPerField.set(field, place + 1);
    keyed.push({ switcher, item: `${field}#${place}` });
  }
  // The last menu first: a nested one comes after its parent's, and is explored before that one moves.
  for (const { switcher, item } of keyed.reverse()) {
    if (exhaustedMenus.has(item)) continue;
    await switcher.click();
    const options = page.locator('[data-testid="dropdown-menu"] [role="menuitem"]').filter({
      visible: true,
    });
    for (const label of await options.allInnerTexts()) {
      const key = `${item}>${label.trim()}`;
      if (chosen.includes(key)) continue;
      chosen.push(key);
      await options.getByText(label.trim(), { exact: true }).click();
      // Let Redoc render the variant before the next step reads the page.
      await page.evaluate(
        () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50))),
      );
      return true;
    }
    exhaustedMenus.add(item);
    await page.keyboard.press("Escape");
  }
  return false;
}
