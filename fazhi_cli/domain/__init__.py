"""The pure core: rubric model, roster model, number reading, scoring. Standard library only, no I/O."""
