"""Stage 1, text to expanded lines: read a file's bytes losslessly (``source``) and replay
keepalived's line reader on them (``expand``: comments, includes, ``@id``, ``$NAME``,
``~SEQ``/``~LST`` from ``generators``), keeping every line's file and offset."""
