// A changed contract served by the mock as built: the built mock and spec module are copied into a
// scratch node_modules, the spec's bundle replaced by the changed copy, so nothing under src/ and
// nothing in the workspace's own dist/ is involved.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { JsonObject } from "@loops-contract/spec";
import type * as Mock from "../../dist/index.js";

const mockDir = fileURLToPath(new URL("../../", import.meta.url));
const requireFromSpec = createRequire(
  createRequire(import.meta.url).resolve("@loops-contract/spec"),
);
const specDir = join(dirname(requireFromSpec.resolve("@loops-contract/spec")), "../..");

export interface CopiedMock {
  /** The copied mock's module, serving `document`. */
  mock: typeof Mock;
  /** Deletes the copy (the module stays loaded). */
  remove(): void;
}

/** Copies the built mock and spec module with `document` as the bundle, and imports the mock. */
export async function copyMockServing(document: JsonObject): Promise<CopiedMock> {
  const scratch = mkdtempSync(join(tmpdir(), "sandbox-copied-mock-"));
  const remove = () => rmSync(scratch, { recursive: true, force: true });
  try {
    const modules = join(scratch, "node_modules");
    const spec = join(modules, "@loops-contract/spec");
    mkdirSync(join(spec, "dist"), { recursive: true });
    cpSync(join(specDir, "package.json"), join(spec, "package.json"));
    cpSync(join(specDir, "dist/lib"), join(spec, "dist/lib"), { recursive: true });
    writeFileSync(join(spec, "dist/openapi.json"), JSON.stringify(document));
    for (const dependency of ["ajv", "ajv-formats"]) {
      const manifest = requireFromSpec.resolve(`${dependency}/package.json`);
      symlinkSync(dirname(manifest), join(modules, dependency), "dir");
    }
    const copiedMock = join(modules, "@loops-contract/mock");
    mkdirSync(copiedMock, { recursive: true });
    cpSync(join(mockDir, "package.json"), join(copiedMock, "package.json"));
    cpSync(join(mockDir, "dist"), join(copiedMock, "dist"), { recursive: true });
    // The controls' document, read beside dist/ as in the package.
    cpSync(join(mockDir, "openapi"), join(copiedMock, "openapi"), { recursive: true });
    const entry = pathToFileURL(join(copiedMock, "dist/index.js")).href;
    return { mock: (await import(entry)) as typeof Mock, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
