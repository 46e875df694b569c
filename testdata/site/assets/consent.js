/* fixture consent manager stub: never executed by the crawler */
(function(){var b=document.getElementById('cookie-banner');if(!b)return;b.addEventListener('click',function(e){if(e.target.dataset.consent){b.hidden=true;}});})();
