import { reportSchedulerSuite } from './report-scheduler-suite.ts';

reportSchedulerSuite('sqlite');
