// Preloaded into each README block's process (`node --import tsx --import <this file>`): requests
// for the contract's production server are answered by an in-process sandbox, so a block runs as
// written, on the fresh team its own key gets; any other URL (a mock the block starts) goes out.
import { createMockFetch, type MockFetch } from "@loops-contract/mock";
import { contract, type JsonObject } from "@loops-contract/spec";

const productionUrl = String((contract.servers as JsonObject[])[0]?.url);
const networkFetch = globalThis.fetch;
// Made on the first production request: a block that starts a mock of its own builds one, not two.
let sandbox: Promise<MockFetch> | undefined;

globalThis.fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (!url.startsWith(`${productionUrl}/`)) return networkFetch(input, init);
  sandbox ??= createMockFetch();
  return (await sandbox)(input, init);
};
