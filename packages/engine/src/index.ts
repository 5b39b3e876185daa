export * from "./table/table.js";
