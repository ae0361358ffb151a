-- Placeholder for the closed-loop migration (another branch's 009_closed_loop.sql), so that the
-- numbers run without a gap on this branch. On merge, take the closed-loop branch's file.
SELECT 1;
