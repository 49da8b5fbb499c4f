"""Stage 2, expanded lines to a positioned syntax tree: the lark grammar (``parser``, with
its table ``cache``), the tree it builds (``tree``) and source positions (``span``)."""
