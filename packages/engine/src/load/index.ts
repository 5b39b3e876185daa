export { loadCsv, loadCsvSync, CsvLoader, type LoadResult, type LoadOptions, type CsvOptions, type ByteInput } from "./csv.js";
export { loadJson, loadJsonSync, JsonLoader, type JsonOptions } from "./json.js";
export { loadParquet, type ParquetOptions } from "./parquet.js";
export { tableFromFixture } from "./fixture.js";
export { checkRelations } from "./relations.js";
export { parseBool, parseDate, parseDuration, parseInt_ as parseInteger, parseNumber, parseTimestamp } from "./values.js";
export { localToUtc, zoneOffset } from "./zone.js";
