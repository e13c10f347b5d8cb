stages=all
languages = auto
