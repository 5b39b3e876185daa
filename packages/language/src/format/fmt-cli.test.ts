/**
 * `yardstick fmt` (packages/cli/src/commands/fmt.ts), run in-process over a temporary folder.
 * It lives beside the formatter it drives; the CLI's own process-level tests run the binary.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runFmt, specFiles } from "../../../cli/src/commands/fmt.js";

class Buffer {
  text = "";
  write(s: string) {
    this.text += s;
    return true;
  }
}

const CANONICAL = "kpi k {\n  value 1\n}\n";
const UNFORMATTED = "kpi k { value 1 }\n";

let dir: string;
const file = (p: string) => join(dir, p);
const put = (p: string, text: string) => {
  mkdirSync(join(file(p), ".."), { recursive: true });
  writeFileSync(file(p), text);
  utimesSync(file(p), new Date(2020, 0, 1), new Date(2020, 0, 1));
};
const read = (p: string) => readFileSync(file(p), "utf8");
const run = (paths: string[], check: boolean) => {
  const out = new Buffer();
  const err = new Buffer();
  const code = runFmt(paths, { check }, out, err);
  return { code, out: out.text, err: err.text };
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "yardstick-fmt-"));
  put("good.kpi", CANONICAL);
  put("bad.kpi", UNFORMATTED);
  put("sub/nested.kpi", "dataset d {x:int}\n");
  put("notes.txt", UNFORMATTED);
  put(".hidden/skipped.kpi", UNFORMATTED);
  put("node_modules/skipped.kpi", UNFORMATTED);
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("yardstick fmt", () => {
  it("finds .kpi files recursively, skipping dot-folders and node_modules", () => {
    expect(specFiles([dir])).toEqual([file("bad.kpi"), file("good.kpi"), file("sub/nested.kpi")]);
    expect(specFiles([file("good.kpi"), dir, file("good.kpi")])).toHaveLength(3);
  });

  it("--check writes nothing, lists the unformatted files and exits 1", () => {
    const r = run([dir], true);
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${file("bad.kpi")}\n${file("sub/nested.kpi")}\n`);
    expect(r.err).toContain("Checked 3 files: 2 not formatted");
    expect(read("bad.kpi")).toBe(UNFORMATTED);
    expect(read("sub/nested.kpi")).toBe("dataset d {x:int}\n");
  });

  it("--check exits 0 when everything is formatted", () => {
    const r = run([file("good.kpi")], true);
    expect(r).toEqual({ code: 0, out: "Checked 1 file: all formatted.\n", err: "" });
  });

  it("rewrites only the files that change", () => {
    const before = statSync(file("good.kpi")).mtimeMs;
    const r = run([dir], false);
    expect(r.code).toBe(0);
    expect(read("bad.kpi")).toBe(CANONICAL);
    expect(read("sub/nested.kpi")).toBe("dataset d {\n  x: int\n}\n");
    expect(statSync(file("good.kpi")).mtimeMs).toBe(before);
    expect(r.out).toContain(`formatted ${file("bad.kpi")}\n`);
    expect(r.out).toContain("Formatted 3 files: 2 rewritten.");
    expect(run([dir], false).out).toBe("Formatted 3 files: nothing to change.\n");
    expect(run([dir], true).code).toBe(0);
  });

  it("leaves a file with syntax errors unchanged, shows its errors and exits 1", () => {
    put("broken.kpi", "kpi k { value 1 +\n");
    for (const check of [false, true]) {
      const r = run([dir], check);
      expect(r.code).toBe(1);
      expect(r.err).toContain("broken.kpi:1:18: error[syntax-error]");
      expect(r.err).toContain("1 with syntax errors left unchanged");
      expect(read("broken.kpi")).toBe("kpi k { value 1 +\n");
    }
  });

  it("rejects missing paths and named files that are not .kpi", () => {
    expect(() => run([file("nope")], false)).toThrow(/No such file or folder/);
    expect(() => run([file("notes.txt")], false)).toThrow(/not a \.kpi file/);
    expect(() => run([], false)).toThrow(/at least one/);
  });
});
