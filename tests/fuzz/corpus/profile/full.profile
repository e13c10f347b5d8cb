# a collection's settings
stages = deskew,clean,ocr
assume_dpi = 400
max_pixels = 100000000
languages = ara+fra
split = auto
binding = rtl
binarize = otsu
sauvola_k = 0.3
timeout = 300
pdf_jpeg_quality = 60
report_max_low_words = 0.2
