(window.BRIEFGEN_SEARCH=window.BRIEFGEN_SEARCH||{})["d0"]=[["us-strikes-iraq-syria","US strikes on pro-Iran militias in Iraq and Syria","2021-08-03","../briefings/us-strikes-iraq-syria/","en"]];
