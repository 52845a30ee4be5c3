-- 0015: reserved for another branch's migration (migrations run without
-- gaps). Whoever merges that branch replaces this file with its own 0015.
SELECT 1;
