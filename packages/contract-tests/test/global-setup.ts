import { startMock } from "@loops-contract/mock";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the server under test, e.g. http://127.0.0.1:4010. */
    baseUrl: string;
    apiKey: string;
    /** True when the server is this package's Prism mock, which honours `Prefer: code=...`. */
    againstMock: boolean;
  }
}

/**
 * Starts the mock, stateless, once for the whole run, unless CONTRACT_BASE_URL points the suite at
 * another server (the real API, or `prism proxy` in front of it).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const baseUrl = process.env.CONTRACT_BASE_URL;
  if (baseUrl) {
    const apiKey = process.env.LOOPS_API_KEY;
    if (!apiKey)
      throw new Error("CONTRACT_BASE_URL is set: set LOOPS_API_KEY to a key for it too.");
    project.provide("baseUrl", baseUrl.replace(/\/+$/, ""));
    project.provide("apiKey", apiKey);
    project.provide("againstMock", false);
    return async () => {};
  }
  // The conformance tables check each answer on its own (the same example revision sent twice,
  // bodies generated with past send times): they run stateless. The workflow suite has a sandbox.
  const mock = await startMock({ stateless: true });
  project.provide("baseUrl", mock.url);
  project.provide("apiKey", "contract-test-key");
  project.provide("againstMock", true);
  return () => mock.stop();
}
