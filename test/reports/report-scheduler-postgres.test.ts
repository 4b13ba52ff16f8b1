import { reportSchedulerSuite } from './report-scheduler-suite.ts';

reportSchedulerSuite('postgres');
