export { runTests, fixtureTables, type RunTestsOptions, type TestReport, type TestResult, type TestFailure, type GroupDiff } from "./runner.js";
export { valuesMatch, groupMatches, keyMatches, groupText, numberText } from "./compare.js";
export { expectationText } from "./describe.js";
