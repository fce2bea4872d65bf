/** The field answers, in one place for the API routes and the dashboard. */
export { parseFilter } from './filter.js';
export { fieldAnswer, compareVersions, type AnswerOptions } from './field-answer.js';
export { blankAnswer } from './blank-answer.js';
export { alarmAnswer, evaluateAlarms, currentAlarms, ALARM_DEFAULTS, type AlarmOptions } from './alarms.js';
export { purgeRequests, PURGE_FORMATS, type PurgeFormat } from './purge.js';
