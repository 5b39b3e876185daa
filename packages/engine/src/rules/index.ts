export { evaluateRules, ruleGrouping, type AlertEpisode, type RulesRequest, type RulesResult, type GroupValueLabel } from "./rules.js";
export { runStateMachine, type PeriodInput, type EpisodeSpan, type StateName } from "./state.js";
export { evalRuleExpr, type RuleValue, type SeriesAccess } from "./conditions.js";
export { renderMessage } from "./message.js";
