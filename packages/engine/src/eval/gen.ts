/** Compiled factories by source text: the same loop over other data reuses V8's optimized code. */
const factories = new Map<string, (slots: unknown[]) => unknown>();

/**
 * Builder of generated functions. Generated code only ever contains fixed text written here,
 * slot names (`s12`), temporaries (`t3`) and numbers rendered by `num()`. Everything that comes
 * from users (column names, string literals, zone names) reaches the code as data in a slot,
 * so no name or string can change what the code does.
 */
export class Gen {
  private readonly slots: unknown[] = [];
  private readonly byValue = new Map<unknown, string>();
  private temps = 0;

  /** A slot holding `value`; the same object or primitive gets the same slot. */
  slot(value: unknown): string {
    const known = this.byValue.get(value);
    if (known !== undefined) return known;
    const name = `s${this.slots.length}`;
    this.slots.push(value);
    this.byValue.set(value, name);
    return name;
  }

  /** A fresh temporary variable. */
  temp(): string {
    return `t${this.temps++}`;
  }

  /** Declarations of the temporaries used so far (put at the top of the generated function). */
  tempDecls(): string {
    if (this.temps === 0) return "";
    const names: string[] = [];
    for (let i = 0; i < this.temps; i++) names.push(`t${i} = 0`);
    return `let ${names.join(", ")};\n`;
  }

  /**
   * Compiles `body` as the body of a function of `params` (fixed identifiers only), with every
   * slot bound as a constant in its closure.
   */
  build<F extends (...args: never[]) => unknown>(params: string[], body: string): F {
    for (const p of params) if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(p)) throw new Error(`internal: bad parameter name`);
    const head = this.slots.map((_, i) => `const s${i} = S[${i}];`).join("\n");
    const src = `"use strict";\n${head}\nreturn function compiled(${params.join(", ")}) {\n${this.tempDecls()}${body}\n};`;
    let factory = factories.get(src);
    if (!factory) {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      factory = new Function("S", src) as (slots: unknown[]) => unknown;
      if (factories.size > 2000) factories.clear();
      factories.set(src, factory);
    }
    return factory(this.slots) as F;
  }
}

/** Renders a number as a JS literal; anything but a number is refused. */
export function num(v: number): string {
  if (typeof v !== "number") throw new Error("internal: num() of a non-number");
  if (v !== v) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "(-Infinity)";
  return v < 0 || Object.is(v, -0) ? `(${String(v)})` : String(v);
}
