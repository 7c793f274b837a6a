export { createAuditWorkerApp } from './audit-worker.app.js';
export { BackchannelLogoutDispatcher, type BackchannelLogoutDispatcherOptions } from './backchannel/backchannel-logout.dispatcher.js';
export { AuditPipeline } from './pipeline/audit-pipeline.js';
export { AuditRecorder, type RecordedBatch } from './pipeline/audit-recorder.js';
export { EventEnricher } from './pipeline/event-enricher.js';
export { SiemExporter, type SiemExporterOptions } from './export/siem-exporter.js';
