# Django's Vietnamese formats name "." as the thousands separator but group no digits, so a
# count printed with intcomma stayed "2815"; Vietnamese writes 2.815. Only numbers formatted on
# purpose (intcomma, number_format(force_grouping=True)) are grouped: USE_THOUSAND_SEPARATOR
# stays off, so ids and years in pages and links are never printed "2.026".
NUMBER_GROUPING = 3
