/**
 * `vitrine/vitals-schema`: for collectors. Validates a received vitals report with the schema the
 * SDK builds against, without pulling in the storefront.
 */
export {
  VitalsReport,
  VitalsReportV1,
  VitalsReportV2,
  VitalEntry,
  VitalAttribution,
  HealthCounters,
  parseVitalsReport,
  MAX_REPORT_BYTES,
  MAX_BLANK_URLS,
  MAX_FIELD_CHARS,
} from './vitals/report-schema.js';
