S = (
    r'raw\0' b'bytes\x00' f'{x}{{0}}' u'\u00e90' '''tri
ple''' "\N{DASH}\
"
    r'raw\1' b'bytes\x01' f'{x}{{1}}' u'\u00e91' '''tri
ple''' "\N{DASH}\
"
    r'raw\2' b'bytes\x02' f'{x}{{2}}' u'\u00e92' '''tri
ple''' "\N{DASH}\
"
    r'raw\3' b'bytes\x03' f'{x}{{3}}' u'\u00e93' '''tri
ple''' "\N{DASH}\
"
    r'raw\4' b'bytes\x04' f'{x}{{4}}' u'\u00e94' '''tri
ple''' "\N{DASH}\
"
    r'raw\5' b'bytes\x05' f'{x}{{5}}' u'\u00e95' '''tri
ple''' "\N{DASH}\
"
    r'raw\6' b'bytes\x06' f'{x}{{6}}' u'\u00e96' '''tri
ple''' "\N{DASH}\
"
    r'raw\7' b'bytes\x07' f'{x}{{7}}' u'\u00e97' '''tri
ple''' "\N{DASH}\
"
    r'raw\8' b'bytes\x08' f'{x}{{8}}' u'\u00e98' '''tri
ple''' "\N{DASH}\
"
    r'raw\9' b'bytes\x09' f'{x}{{9}}' u'\u00e99' '''tri
ple''' "\N{DASH}\
"
    r'raw\10' b'bytes\x0a' f'{x}{{10}}' u'\u00e910' '''tri
ple''' "\N{DASH}\
"
    r'raw\11' b'bytes\x0b' f'{x}{{11}}' u'\u00e911' '''tri
ple''' "\N{DASH}\
"
    r'raw\12' b'bytes\x0c' f'{x}{{12}}' u'\u00e912' '''tri
ple''' "\N{DASH}\
"
    r'raw\13' b'bytes\x0d' f'{x}{{13}}' u'\u00e913' '''tri
ple''' "\N{DASH}\
"
    r'raw\14' b'bytes\x0e' f'{x}{{14}}' u'\u00e914' '''tri
ple''' "\N{DASH}\
"
    r'raw\15' b'bytes\x0f' f'{x}{{15}}' u'\u00e915' '''tri
ple''' "\N{DASH}\
"
    r'raw\16' b'bytes\x10' f'{x}{{16}}' u'\u00e916' '''tri
ple''' "\N{DASH}\
"
    r'raw\17' b'bytes\x11' f'{x}{{17}}' u'\u00e917' '''tri
ple''' "\N{DASH}\
"
    r'raw\18' b'bytes\x12' f'{x}{{18}}' u'\u00e918' '''tri
ple''' "\N{DASH}\
"
    r'raw\19' b'bytes\x13' f'{x}{{19}}' u'\u00e919' '''tri
ple''' "\N{DASH}\
"
    r'raw\20' b'bytes\x14' f'{x}{{20}}' u'\u00e920' '''tri
ple''' "\N{DASH}\
"
    r'raw\21' b'bytes\x15' f'{x}{{21}}' u'\u00e921' '''tri
ple''' "\N{DASH}\
"
    r'raw\22' b'bytes\x16' f'{x}{{22}}' u'\u00e922' '''tri
ple''' "\N{DASH}\
"
    r'raw\23' b'bytes\x17' f'{x}{{23}}' u'\u00e923' '''tri
ple''' "\N{DASH}\
"
    r'raw\24' b'bytes\x18' f'{x}{{24}}' u'\u00e924' '''tri
ple''' "\N{DASH}\
"
    r'raw\25' b'bytes\x19' f'{x}{{25}}' u'\u00e925' '''tri
ple''' "\N{DASH}\
"
    r'raw\26' b'bytes\x1a' f'{x}{{26}}' u'\u00e926' '''tri
ple''' "\N{DASH}\
"
    r'raw\27' b'bytes\x1b' f'{x}{{27}}' u'\u00e927' '''tri
ple''' "\N{DASH}\
"
    r'raw\28' b'bytes\x1c' f'{x}{{28}}' u'\u00e928' '''tri
ple''' "\N{DASH}\
"
    r'raw\29' b'bytes\x1d' f'{x}{{29}}' u'\u00e929' '''tri
ple''' "\N{DASH}\
"
    r'raw\30' b'bytes\x1e' f'{x}{{30}}' u'\u00e930' '''tri
ple''' "\N{DASH}\
"
    r'raw\31' b'bytes\x1f' f'{x}{{31}}' u'\u00e931' '''tri
ple''' "\N{DASH}\
"
    r'raw\32' b'bytes\x20' f'{x}{{32}}' u'\u00e932' '''tri
ple''' "\N{DASH}\
"
    r'raw\33' b'bytes\x21' f'{x}{{33}}' u'\u00e933' '''tri
ple''' "\N{DASH}\
"
    r'raw\34' b'bytes\x22' f'{x}{{34}}' u'\u00e934' '''tri
ple''' "\N{DASH}\
"
    r'raw\35' b'bytes\x23' f'{x}{{35}}' u'\u00e935' '''tri
ple''' "\N{DASH}\
"
    r'raw\36' b'bytes\x24' f'{x}{{36}}' u'\u00e936' '''tri
ple''' "\N{DASH}\
"
    r'raw\37' b'bytes\x25' f'{x}{{37}}' u'\u00e937' '''tri
ple''' "\N{DASH}\
"
    r'raw\38' b'bytes\x26' f'{x}{{38}}' u'\u00e938' '''tri
ple''' "\N{DASH}\
"
    r'raw\39' b'bytes\x27' f'{x}{{39}}' u'\u00e939' '''tri
ple''' "\N{DASH}\
"
    r'raw\40' b'bytes\x28' f'{x}{{40}}' u'\u00e940' '''tri
ple''' "\N{DASH}\
"
    r'raw\41' b'bytes\x29' f'{x}{{41}}' u'\u00e941' '''tri
ple''' "\N{DASH}\
"
    r'raw\42' b'bytes\x2a' f'{x}{{42}}' u'\u00e942' '''tri
ple''' "\N{DASH}\
"
    r'raw\43' b'bytes\x2b' f'{x}{{43}}' u'\u00e943' '''tri
ple''' "\N{DASH}\
"
    r'raw\44' b'bytes\x2c' f'{x}{{44}}' u'\u00e944' '''tri
ple''' "\N{DASH}\
"
    r'raw\45' b'bytes\x2d' f'{x}{{45}}' u'\u00e945' '''tri
ple''' "\N{DASH}\
"
    r'raw\46' b'bytes\x2e' f'{x}{{46}}' u'\u00e946' '''tri
ple''' "\N{DASH}\
"
    r'raw\47' b'bytes\x2f' f'{x}{{47}}' u'\u00e947' '''tri
ple''' "\N{DASH}\
"
    r'raw\48' b'bytes\x30' f'{x}{{48}}' u'\u00e948' '''tri
ple''' "\N{DASH}\
"
    r'raw\49' b'bytes\x31' f'{x}{{49}}' u'\u00e949' '''tri
ple''' "\N{DASH}\
"
    r'raw\50' b'bytes\x32' f'{x}{{50}}' u'\u00e950' '''tri
ple''' "\N{DASH}\
"
    r'raw\51' b'bytes\x33' f'{x}{{51}}' u'\u00e951' '''tri
ple''' "\N{DASH}\
"
    r'raw\52' b'bytes\x34' f'{x}{{52}}' u'\u00e952' '''tri
ple''' "\N{DASH}\
"
    r'raw\53' b'bytes\x35' f'{x}{{53}}' u'\u00e953' '''tri
ple''' "\N{DASH}\
"
    r'raw\54' b'bytes\x36' f'{x}{{54}}' u'\u00e954' '''tri
ple''' "\N{DASH}\
"
    r'raw\55' b'bytes\x37' f'{x}{{55}}' u'\u00e955' '''tri
ple''' "\N{DASH}\
"
    r'raw\56' b'bytes\x38' f'{x}{{56}}' u'\u00e956' '''tri
ple''' "\N{DASH}\
"
    r'raw\57' b'bytes\x39' f'{x}{{57}}' u'\u00e957' '''tri
ple''' "\N{DASH}\
"
    r'raw\58' b'bytes\x3a' f'{x}{{58}}' u'\u00e958' '''tri
ple''' "\N{DASH}\
"
    r'raw\59' b'bytes\x3b' f'{x}{{59}}' u'\u00e959' '''tri
ple''' "\N{DASH}\
"
    r'raw\60' b'bytes\x3c' f'{x}{{60}}' u'\u00e960' '''tri
ple''' "\N{DASH}\
"
    r'raw\61' b'bytes\x3d' f'{x}{{61}}' u'\u00e961' '''tri
ple''' "\N{DASH}\
"
    r'raw\62' b'bytes\x3e' f'{x}{{62}}' u'\u00e962' '''tri
ple''' "\N{DASH}\
"
    r'raw\63' b'bytes\x3f' f'{x}{{63}}' u'\u00e963' '''tri
ple''' "\N{DASH}\
"
    r'raw\64' b'bytes\x40' f'{x}{{64}}' u'\u00e964' '''tri
ple''' "\N{DASH}\
"
    r'raw\65' b'bytes\x41' f'{x}{{65}}' u'\u00e965' '''tri
ple''' "\N{DASH}\
"
    r'raw\66' b'bytes\x42' f'{x}{{66}}' u'\u00e966' '''tri
ple''' "\N{DASH}\
"
    r'raw\67' b'bytes\x43' f'{x}{{67}}' u'\u00e967' '''tri
ple''' "\N{DASH}\
"
    r'raw\68' b'bytes\x44' f'{x}{{68}}' u'\u00e968' '''tri
ple''' "\N{DASH}\
"
    r'raw\69' b'bytes\x45' f'{x}{{69}}' u'\u00e969' '''tri
ple''' "\N{DASH}\
"
    r'raw\70' b'bytes\x46' f'{x}{{70}}' u'\u00e970' '''tri
ple''' "\N{DASH}\
"
    r'raw\71' b'bytes\x47' f'{x}{{71}}' u'\u00e971' '''tri
ple''' "\N{DASH}\
"
    r'raw\72' b'bytes\x48' f'{x}{{72}}' u'\u00e972' '''tri
ple''' "\N{DASH}\
"
    r'raw\73' b'bytes\x49' f'{x}{{73}}' u'\u00e973' '''tri
ple''' "\N{DASH}\
"
    r'raw\74' b'bytes\x4a' f'{x}{{74}}' u'\u00e974' '''tri
ple''' "\N{DASH}\
"
    r'raw\75' b'bytes\x4b' f'{x}{{75}}' u'\u00e975' '''tri
ple''' "\N{DASH}\
"
    r'raw\76' b'bytes\x4c' f'{x}{{76}}' u'\u00e976' '''tri
ple''' "\N{DASH}\
"
    r'raw\77' b'bytes\x4d' f'{x}{{77}}' u'\u00e977' '''tri
ple''' "\N{DASH}\
"
    r'raw\78' b'bytes\x4e' f'{x}{{78}}' u'\u00e978' '''tri
ple''' "\N{DASH}\
"
    r'raw\79' b'bytes\x4f' f'{x}{{79}}' u'\u00e979' '''tri
ple''' "\N{DASH}\
"
    r'raw\80' b'bytes\x50' f'{x}{{80}}' u'\u00e980' '''tri
ple''' "\N{DASH}\
"
    r'raw\81' b'bytes\x51' f'{x}{{81}}' u'\u00e981' '''tri
ple''' "\N{DASH}\
"
    r'raw\82' b'bytes\x52' f'{x}{{82}}' u'\u00e982' '''tri
ple''' "\N{DASH}\
"
    r'raw\83' b'bytes\x53' f'{x}{{83}}' u'\u00e983' '''tri
ple''' "\N{DASH}\
"
    r'raw\84' b'bytes\x54' f'{x}{{84}}' u'\u00e984' '''tri
ple''' "\N{DASH}\
"
    r'raw\85' b'bytes\x55' f'{x}{{85}}' u'\u00e985' '''tri
ple''' "\N{DASH}\
"
    r'raw\86' b'bytes\x56' f'{x}{{86}}' u'\u00e986' '''tri
ple''' "\N{DASH}\
"
    r'raw\87' b'bytes\x57' f'{x}{{87}}' u'\u00e987' '''tri
ple''' "\N{DASH}\
"
    r'raw\88' b'bytes\x58' f'{x}{{88}}' u'\u00e988' '''tri
ple''' "\N{DASH}\
"
    r'raw\89' b'bytes\x59' f'{x}{{89}}' u'\u00e989' '''tri
ple''' "\N{DASH}\
"
    r'raw\90' b'bytes\x5a' f'{x}{{90}}' u'\u00e990' '''tri
ple''' "\N{DASH}\
"
    r'raw\91' b'bytes\x5b' f'{x}{{91}}' u'\u00e991' '''tri
ple''' "\N{DASH}\
"
    r'raw\92' b'bytes\x5c' f'{x}{{92}}' u'\u00e992' '''tri
ple''' "\N{DASH}\
"
    r'raw\93' b'bytes\x5d' f'{x}{{93}}' u'\u00e993' '''tri
ple''' "\N{DASH}\
"
    r'raw\94' b'bytes\x5e' f'{x}{{94}}' u'\u00e994' '''tri
ple''' "\N{DASH}\
"
    r'raw\95' b'bytes\x5f' f'{x}{{95}}' u'\u00e995' '''tri
ple''' "\N{DASH}\
"
    r'raw\96' b'bytes\x60' f'{x}{{96}}' u'\u00e996' '''tri
ple''' "\N{DASH}\
"
    r'raw\97' b'bytes\x61' f'{x}{{97}}' u'\u00e997' '''tri
ple''' "\N{DASH}\
"
    r'raw\98' b'bytes\x62' f'{x}{{98}}' u'\u00e998' '''tri
ple''' "\N{DASH}\
"
    r'raw\99' b'bytes\x63' f'{x}{{99}}' u'\u00e999' '''tri
ple''' "\N{DASH}\
"
    r'raw\100' b'bytes\x64' f'{x}{{100}}' u'\u00e9100' '''tri
ple''' "\N{DASH}\
"
    r'raw\101' b'bytes\x65' f'{x}{{101}}' u'\u00e9101' '''tri
ple''' "\N{DASH}\
"
    r'raw\102' b'bytes\x66' f'{x}{{102}}' u'\u00e9102' '''tri
ple''' "\N{DASH}\
"
    r'raw\103' b'bytes\x67' f'{x}{{103}}' u'\u00e9103' '''tri
ple''' "\N{DASH}\
"
    r'raw\104' b'bytes\x68' f'{x}{{104}}' u'\u00e9104' '''tri
ple''' "\N{DASH}\
"
    r'raw\105' b'bytes\x69' f'{x}{{105}}' u'\u00e9105' '''tri
ple''' "\N{DASH}\
"
    r'raw\106' b'bytes\x6a' f'{x}{{106}}' u'\u00e9106' '''tri
ple''' "\N{DASH}\
"
    r'raw\107' b'bytes\x6b' f'{x}{{107}}' u'\u00e9107' '''tri
ple''' "\N{DASH}\
"
    r'raw\108' b'bytes\x6c' f'{x}{{108}}' u'\u00e9108' '''tri
ple''' "\N{DASH}\
"
    r'raw\109' b'bytes\x6d' f'{x}{{109}}' u'\u00e9109' '''tri
ple''' "\N{DASH}\
"
    r'raw\110' b'bytes\x6e' f'{x}{{110}}' u'\u00e9110' '''tri
ple''' "\N{DASH}\
"
    r'raw\111' b'bytes\x6f' f'{x}{{111}}' u'\u00e9111' '''tri
ple''' "\N{DASH}\
"
    r'raw\112' b'bytes\x70' f'{x}{{112}}' u'\u00e9112' '''tri
ple''' "\N{DASH}\
"
    r'raw\113' b'bytes\x71' f'{x}{{113}}' u'\u00e9113' '''tri
ple''' "\N{DASH}\
"
    r'raw\114' b'bytes\x72' f'{x}{{114}}' u'\u00e9114' '''tri
ple''' "\N{DASH}\
"
    r'raw\115' b'bytes\x73' f'{x}{{115}}' u'\u00e9115' '''tri
ple''' "\N{DASH}\
"
    r'raw\116' b'bytes\x74' f'{x}{{116}}' u'\u00e9116' '''tri
ple''' "\N{DASH}\
"
    r'raw\117' b'bytes\x75' f'{x}{{117}}' u'\u00e9117' '''tri
ple''' "\N{DASH}\
"
    r'raw\118' b'bytes\x76' f'{x}{{118}}' u'\u00e9118' '''tri
ple''' "\N{DASH}\
"
    r'raw\119' b'bytes\x77' f'{x}{{119}}' u'\u00e9119' '''tri
ple''' "\N{DASH}\
"
    r'raw\120' b'bytes\x78' f'{x}{{120}}' u'\u00e9120' '''tri
ple''' "\N{DASH}\
"
    r'raw\121' b'bytes\x79' f'{x}{{121}}' u'\u00e9121' '''tri
ple''' "\N{DASH}\
"
    r'raw\122' b'bytes\x7a' f'{x}{{122}}' u'\u00e9122' '''tri
ple''' "\N{DASH}\
"
    r'raw\123' b'bytes\x7b' f'{x}{{123}}' u'\u00e9123' '''tri
ple''' "\N{DASH}\
"
    r'raw\124' b'bytes\x7c' f'{x}{{124}}' u'\u00e9124' '''tri
ple''' "\N{DASH}\
"
    r'raw\125' b'bytes\x7d' f'{x}{{125}}' u'\u00e9125' '''tri
ple''' "\N{DASH}\
"
    r'raw\126' b'bytes\x7e' f'{x}{{126}}' u'\u00e9126' '''tri
ple''' "\N{DASH}\
"
    r'raw\127' b'bytes\x7f' f'{x}{{127}}' u'\u00e9127' '''tri
ple''' "\N{DASH}\
"
    r'raw\128' b'bytes\x80' f'{x}{{128}}' u'\u00e9128' '''tri
ple''' "\N{DASH}\
"
    r'raw\129' b'bytes\x81' f'{x}{{129}}' u'\u00e9129' '''tri
ple''' "\N{DASH}\
"
    r'raw\130' b'bytes\x82' f'{x}{{130}}' u'\u00e9130' '''tri
ple''' "\N{DASH}\
"
    r'raw\131' b'bytes\x83' f'{x}{{131}}' u'\u00e9131' '''tri
ple''' "\N{DASH}\
"
    r'raw\132' b'bytes\x84' f'{x}{{132}}' u'\u00e9132' '''tri
ple''' "\N{DASH}\
"
    r'raw\133' b'bytes\x85' f'{x}{{133}}' u'\u00e9133' '''tri
ple''' "\N{DASH}\
"
    r'raw\134' b'bytes\x86' f'{x}{{134}}' u'\u00e9134' '''tri
ple''' "\N{DASH}\
"
    r'raw\135' b'bytes\x87' f'{x}{{135}}' u'\u00e9135' '''tri
ple''' "\N{DASH}\
"
    r'raw\136' b'bytes\x88' f'{x}{{136}}' u'\u00e9136' '''tri
ple''' "\N{DASH}\
"
    r'raw\137' b'bytes\x89' f'{x}{{137}}' u'\u00e9137' '''tri
ple''' "\N{DASH}\
"
    r'raw\138' b'bytes\x8a' f'{x}{{138}}' u'\u00e9138' '''tri
ple''' "\N{DASH}\
"
    r'raw\139' b'bytes\x8b' f'{x}{{139}}' u'\u00e9139' '''tri
ple''' "\N{DASH}\
"
    r'raw\140' b'bytes\x8c' f'{x}{{140}}' u'\u00e9140' '''tri
ple''' "\N{DASH}\
"
    r'raw\141' b'bytes\x8d' f'{x}{{141}}' u'\u00e9141' '''tri
ple''' "\N{DASH}\
"
    r'raw\142' b'bytes\x8e' f'{x}{{142}}' u'\u00e9142' '''tri
ple''' "\N{DASH}\
"
    r'raw\143' b'bytes\x8f' f'{x}{{143}}' u'\u00e9143' '''tri
ple''' "\N{DASH}\
"
    r'raw\144' b'bytes\x90' f'{x}{{144}}' u'\u00e9144' '''tri
ple''' "\N{DASH}\
"
    r'raw\145' b'bytes\x91' f'{x}{{145}}' u'\u00e9145' '''tri
ple''' "\N{DASH}\
"
    r'raw\146' b'bytes\x92' f'{x}{{146}}' u'\u00e9146' '''tri
ple''' "\N{DASH}\
"
    r'raw\147' b'bytes\x93' f'{x}{{147}}' u'\u00e9147' '''tri
ple''' "\N{DASH}\
"
    r'raw\148' b'bytes\x94' f'{x}{{148}}' u'\u00e9148' '''tri
ple''' "\N{DASH}\
"
    r'raw\149' b'bytes\x95' f'{x}{{149}}' u'\u00e9149' '''tri
ple''' "\N{DASH}\
"
    r'raw\150' b'bytes\x96' f'{x}{{150}}' u'\u00e9150' '''tri
ple''' "\N{DASH}\
"
    r'raw\151' b'bytes\x97' f'{x}{{151}}' u'\u00e9151' '''tri
ple''' "\N{DASH}\
"
    r'raw\152' b'bytes\x98' f'{x}{{152}}' u'\u00e9152' '''tri
ple''' "\N{DASH}\
"
    r'raw\153' b'bytes\x99' f'{x}{{153}}' u'\u00e9153' '''tri
ple''' "\N{DASH}\
"
    r'raw\154' b'bytes\x9a' f'{x}{{154}}' u'\u00e9154' '''tri
ple''' "\N{DASH}\
"
    r'raw\155' b'bytes\x9b' f'{x}{{155}}' u'\u00e9155' '''tri
ple''' "\N{DASH}\
"
    r'raw\156' b'bytes\x9c' f'{x}{{156}}' u'\u00e9156' '''tri
ple''' "\N{DASH}\
"
    r'raw\157' b'bytes\x9d' f'{x}{{157}}' u'\u00e9157' '''tri
ple''' "\N{DASH}\
"
    r'raw\158' b'bytes\x9e' f'{x}{{158}}' u'\u00e9158' '''tri
ple''' "\N{DASH}\
"
    r'raw\159' b'bytes\x9f' f'{x}{{159}}' u'\u00e9159' '''tri
ple''' "\N{DASH}\
"
    r'raw\160' b'bytes\xa0' f'{x}{{160}}' u'\u00e9160' '''tri
ple''' "\N{DASH}\
"
    r'raw\161' b'bytes\xa1' f'{x}{{161}}' u'\u00e9161' '''tri
ple''' "\N{DASH}\
"
    r'raw\162' b'bytes\xa2' f'{x}{{162}}' u'\u00e9162' '''tri
ple''' "\N{DASH}\
"
    r'raw\163' b'bytes\xa3' f'{x}{{163}}' u'\u00e9163' '''tri
ple''' "\N{DASH}\
"
    r'raw\164' b'bytes\xa4' f'{x}{{164}}' u'\u00e9164' '''tri
ple''' "\N{DASH}\
"
    r'raw\165' b'bytes\xa5' f'{x}{{165}}' u'\u00e9165' '''tri
ple''' "\N{DASH}\
"
    r'raw\166' b'bytes\xa6' f'{x}{{166}}' u'\u00e9166' '''tri
ple''' "\N{DASH}\
"
    r'raw\167' b'bytes\xa7' f'{x}{{167}}' u'\u00e9167' '''tri
ple''' "\N{DASH}\
"
    r'raw\168' b'bytes\xa8' f'{x}{{168}}' u'\u00e9168' '''tri
ple''' "\N{DASH}\
"
    r'raw\169' b'bytes\xa9' f'{x}{{169}}' u'\u00e9169' '''tri
ple''' "\N{DASH}\
"
    r'raw\170' b'bytes\xaa' f'{x}{{170}}' u'\u00e9170' '''tri
ple''' "\N{DASH}\
"
    r'raw\171' b'bytes\xab' f'{x}{{171}}' u'\u00e9171' '''tri
ple''' "\N{DASH}\
"
    r'raw\172' b'bytes\xac' f'{x}{{172}}' u'\u00e9172' '''tri
ple''' "\N{DASH}\
"
    r'raw\173' b'bytes\xad' f'{x}{{173}}' u'\u00e9173' '''tri
ple''' "\N{DASH}\
"
    r'raw\174' b'bytes\xae' f'{x}{{174}}' u'\u00e9174' '''tri
ple''' "\N{DASH}\
"
    r'raw\175' b'bytes\xaf' f'{x}{{175}}' u'\u00e9175' '''tri
ple''' "\N{DASH}\
"
    r'raw\176' b'bytes\xb0' f'{x}{{176}}' u'\u00e9176' '''tri
ple''' "\N{DASH}\
"
    r'raw\177' b'bytes\xb1' f'{x}{{177}}' u'\u00e9177' '''tri
ple''' "\N{DASH}\
"
    r'raw\178' b'bytes\xb2' f'{x}{{178}}' u'\u00e9178' '''tri
ple''' "\N{DASH}\
"
    r'raw\179' b'bytes\xb3' f'{x}{{179}}' u'\u00e9179' '''tri
ple''' "\N{DASH}\
"
    r'raw\180' b'bytes\xb4' f'{x}{{180}}' u'\u00e9180' '''tri
ple''' "\N{DASH}\
"
    r'raw\181' b'bytes\xb5' f'{x}{{181}}' u'\u00e9181' '''tri
ple''' "\N{DASH}\
"
    r'raw\182' b'bytes\xb6' f'{x}{{182}}' u'\u00e9182' '''tri
ple''' "\N{DASH}\
"
    r'raw\183' b'bytes\xb7' f'{x}{{183}}' u'\u00e9183' '''tri
ple''' "\N{DASH}\
"
    r'raw\184' b'bytes\xb8' f'{x}{{184}}' u'\u00e9184' '''tri
ple''' "\N{DASH}\
"
    r'raw\185' b'bytes\xb9' f'{x}{{185}}' u'\u00e9185' '''tri
ple''' "\N{DASH}\
"
    r'raw\186' b'bytes\xba' f'{x}{{186}}' u'\u00e9186' '''tri
ple''' "\N{DASH}\
"
    r'raw\187' b'bytes\xbb' f'{x}{{187}}' u'\u00e9187' '''tri
ple''' "\N{DASH}\
"
    r'raw\188' b'bytes\xbc' f'{x}{{188}}' u'\u00e9188' '''tri
ple''' "\N{DASH}\
"
    r'raw\189' b'bytes\xbd' f'{x}{{189}}' u'\u00e9189' '''tri
ple''' "\N{DASH}\
"
    r'raw\190' b'bytes\xbe' f'{x}{{190}}' u'\u00e9190' '''tri
ple''' "\N{DASH}\
"
    r'raw\191' b'bytes\xbf' f'{x}{{191}}' u'\u00e9191' '''tri
ple''' "\N{DASH}\
"
    r'raw\192' b'bytes\xc0' f'{x}{{192}}' u'\u00e9192' '''tri
ple''' "\N{DASH}\
"
    r'raw\193' b'bytes\xc1' f'{x}{{193}}' u'\u00e9193' '''tri
ple''' "\N{DASH}\
"
    r'raw\194' b'bytes\xc2' f'{x}{{194}}' u'\u00e9194' '''tri
ple''' "\N{DASH}\
"
    r'raw\195' b'bytes\xc3' f'{x}{{195}}' u'\u00e9195' '''tri
ple''' "\N{DASH}\
"
    r'raw\196' b'bytes\xc4' f'{x}{{196}}' u'\u00e9196' '''tri
ple''' "\N{DASH}\
"
    r'raw\197' b'bytes\xc5' f'{x}{{197}}' u'\u00e9197' '''tri
ple''' "\N{DASH}\
"
    r'raw\198' b'bytes\xc6' f'{x}{{198}}' u'\u00e9198' '''tri
ple''' "\N{DASH}\
"
    r'raw\199' b'bytes\xc7' f'{x}{{199}}' u'\u00e9199' '''tri
ple''' "\N{DASH}\
"
)
revision = 's1'
