import { runRedirectSuite } from './redirect-suite.ts';

runRedirectSuite('sqlite');
