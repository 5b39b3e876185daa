export * from "./civil.js";
export * from "./zone.js";
export * from "./period.js";
export * from "./parse.js";
