// The pure helpers the mock, the client and the tests share: pointers, type names, the oneOf branch.
import {
  closestBranch,
  escapePointer,
  isAtOrUnder,
  isObject,
  matchesType,
  pointerSegments,
  schemaType,
  valueAt,
} from "@loops-contract/spec/json";
import { describe, expect, test } from "vitest";

test("isObject takes JSON objects only", () => {
  expect([{}, { a: 1 }].map(isObject)).toEqual([true, true]);
  expect([null, [], "x", 1, undefined].map(isObject)).toEqual([false, false, false, false, false]);
});

describe("pointers", () => {
  test("a segment with `/` and `~` survives the round trip", () => {
    const segment = "a/b~c~1";
    expect(escapePointer(segment)).toBe("a~1b~0c~01");
    expect(pointerSegments(`/${escapePointer(segment)}/0`)).toEqual([segment, "0"]);
    expect(pointerSegments("")).toEqual([]);
  });

  test("valueAt walks objects and arrays, and finds nothing past a leaf", () => {
    const root = { "a/b": [{ c: 1 }] };
    expect(valueAt(root, "/a~1b/0/c")).toBe(1);
    expect(valueAt(root, "")).toBe(root);
    expect(valueAt(root, "/a~1b/0/c/d")).toBeUndefined();
    expect(valueAt(root, "/missing/0")).toBeUndefined();
  });

  test("isAtOrUnder counts whole segments", () => {
    expect(isAtOrUnder("/a", "/a")).toBe(true);
    expect(isAtOrUnder("/a/b", "/a")).toBe(true);
    expect(isAtOrUnder("/ab", "/a")).toBe(false);
    expect(isAtOrUnder("/a", "")).toBe(true);
  });
});

test("type names: a whole number is an integer, and also a number", () => {
  expect([1, 1.5, null, [], {}].map(schemaType)).toEqual([
    "integer",
    "number",
    "null",
    "array",
    "object",
  ]);
  expect(matchesType("number", 1)).toBe(true);
  expect(matchesType("integer", 1.5)).toBe(false);
  expect(matchesType(["string", "null"], null)).toBe(true);
  expect(matchesType(undefined, "anything")).toBe(true);
});

describe("closestBranch", () => {
  const faults = { a: 3, b: 1, c: 1, d: 0 };
  type Name = keyof typeof faults;

  test("of the branches that fit, the fewest faults, the first on a tie", () => {
    const fits = (name: Name) => name !== "d";
    expect(closestBranch<Name>(["a", "b", "c", "d"], fits, (name) => faults[name])).toBe("b");
  });

  test("none that fits is undefined; one that fits is chosen without counting", () => {
    const counted: Name[] = [];
    const count = (name: Name) => {
      counted.push(name);
      return faults[name];
    };
    expect(closestBranch<Name>(["a", "b"], () => false, count)).toBeUndefined();
    expect(closestBranch<Name>(["a", "b"], (name) => name === "a", count)).toBe("a");
    expect(counted).toEqual([]);
  });
});
