/**
 * A reader of the Arrow C data interface (ArrowSchema / ArrowArray structs) inside a wasm32 memory,
 * so Arrow record batches that parquet-wasm decodes are read in place, without an IPC copy.
 * Layouts: https://arrow.apache.org/docs/format/CDataInterface.html (pointers are 4 bytes in wasm32).
 */

export interface CSchema {
  format: string;
  name: string;
  children: CSchema[];
  dictionary: CSchema | null;
}

export interface CArray {
  length: number;
  nullCount: number;
  offset: number;
  /** Addresses of the buffers (0 = absent), in the memory. */
  buffers: number[];
  children: CArray[];
  dictionary: CArray | null;
}

function i64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getInt32(at + 4, true) * 4294967296;
}

function cString(mem: Uint8Array, at: number): string {
  if (at === 0) return "";
  let end = at;
  while (mem[end] !== 0) end++;
  return new TextDecoder().decode(mem.subarray(at, end));
}

export function readSchema(mem: Uint8Array, at: number): CSchema {
  const view = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
  const n = i64(view, at + 24);
  const childrenPtr = view.getUint32(at + 32, true);
  const dict = view.getUint32(at + 36, true);
  const children: CSchema[] = [];
  for (let i = 0; i < n; i++) children.push(readSchema(mem, view.getUint32(childrenPtr + 4 * i, true)));
  return {
    format: cString(mem, view.getUint32(at, true)),
    name: cString(mem, view.getUint32(at + 4, true)),
    children,
    dictionary: dict ? readSchema(mem, dict) : null,
  };
}

export function readArray(mem: Uint8Array, at: number): CArray {
  const view = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
  const nBuffers = i64(view, at + 24);
  const nChildren = i64(view, at + 32);
  const buffersPtr = view.getUint32(at + 40, true);
  const childrenPtr = view.getUint32(at + 44, true);
  const dict = view.getUint32(at + 48, true);
  const buffers: number[] = [];
  for (let i = 0; i < nBuffers; i++) buffers.push(view.getUint32(buffersPtr + 4 * i, true));
  const children: CArray[] = [];
  for (let i = 0; i < nChildren; i++) children.push(readArray(mem, view.getUint32(childrenPtr + 4 * i, true)));
  return {
    length: i64(view, at),
    nullCount: i64(view, at + 8),
    offset: i64(view, at + 16),
    buffers,
    children,
    dictionary: dict ? readArray(mem, dict) : null,
  };
}
