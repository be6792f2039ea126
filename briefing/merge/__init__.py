"""Stage 4, merge: statements of one story that report the same fact become one point citing every source;
and the check that a cited span supports a statement."""
