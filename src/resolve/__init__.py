"""Resolve: professional disagreements about a child, carried through a partnership's procedure."""
