"""diplomatic-rhetoric: discourse analysis of diplomatic writing.

Data flows one way: corpus -> tokens -> counts and matrices -> statistics
tables -> plots -> report. Each module is named after what it computes.
"""

__version__ = "0.1.0"
