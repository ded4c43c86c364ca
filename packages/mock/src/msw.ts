// The package's `./msw` entry: the MSW adapter, apart from the main entry so that msw, an optional
// peer, is imported only by those who use it.
export { type LoopsHandlers, loopsHandlers } from "./adapters/msw.js";
