"""Logic that needs no GUI: geometry, statistics, SQL and state machines.

Nothing in here imports QtWidgets or qgis.gui, so it runs in qgis_process, in tests
and in QgsTask worker threads alike.
"""
