// Every workflow the worker registers. Workflow code is bundled: import only workflow-safe modules here.
export { healthCheckWorkflow } from './health-check.js';
export { beneficiaryJourneyWorkflow } from './beneficiary-journey.js';
export { sessionDayWorkflow } from './session-day.js';
export { dryRunSimulationWorkflow } from './dry-run-simulation.js';
